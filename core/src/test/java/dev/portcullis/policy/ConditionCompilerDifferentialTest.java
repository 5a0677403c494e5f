package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Problems;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Conditions compiled to plain Java ({@link ExprParser}) must mean exactly what CEL makes of them: on generated
 * expressions of every supported shape and generated calls (missing keys, nulls, wrong types, nested values), both
 * forms give the same outcome — true, false, or an error (which denies).
 */
class ConditionCompilerDifferentialTest {
  private static final Policy POLICY = PolicyLoader.fromText("differential.yaml", """
      version: 1
      agents:
        bot: { roles: [worker] }
      roles:
        worker:
          grants:
            - id: all
              tools: ["*"]
      """);
  private static final String[] ARG_PATHS = {"args.a", "args.b", "args.s", "args.n", "args.list", "args.obj",
      "args.obj.a", "args.obj.s"};
  private static final String[] OTHER_PATHS = {"agent.attributes.region", "agent.attributes.tier", "agent.id",
      "agent.roles", "agent.attributes", "session.calls", "session.labels", "session.tools_called", "session.id",
      "tool.name", "tool.upstream", "tool.labels", "tool.annotations.readOnlyHint", "tool.annotations"};
  private static final String[] LITERALS = {"0", "1", "3", "-2", "100", "1.5", "-0.5", "2.0", "\"\"", "\"ab\"",
      "'a'", "\"EU\"", "\"@acme.example\"", "\"crm.read\"", "\"private_data\"", "true", "false", "null"};
  /** Every shape must be compiled (and compared) many times. */
  private static final List<String> SHAPES = List.of(" + ", " - ", " * ", " / ", " % ", "-args", "-size", " ? ",
      ".matches(", "(matches(", "has(", ".startsWith(", " in ", "size(", "!", " && ", " || ", " <= ");
  private static final String[] LISTS = {"[]", "[1, 2, 3]", "[\"EU\", \"US\"]", "[1.5, 2.0]", "[true]",
      "[\"private_data\", \"untrusted_content\"]"};

  @Test
  void everyCompiledShapeEvaluatesAsCelDoes() {
    Random random = new Random(42);
    int compiled = 0;
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    Map<String, Integer> shapes = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      String source = boolExpr(random, 3);
      if (ExprParser.compile(source).isEmpty()) {
        continue;
      }
      compiled++;
      for (String shape : SHAPES) {
        if (source.contains(shape)) {
          shapes.merge(shape, 1, Integer::sum);
        }
      }
      Problems problems = new Problems();
      Condition cel = Condition.celOnly(source, Condition.Scope.CALL, problems).orElse(null);
      assertThat(cel).as("CEL compiles %s, which the Java compiler accepted; %s", source, problems.all())
          .isNotNull();
      Condition java = Condition.compile(source, Mark.NONE, Condition.Scope.CALL, "test", problems).orElseThrow();
      assertThat(java.compiledToJava()).isTrue();
      for (int j = 0; j < 40; j++) {
        Sample sample = sample(random);
        String expected = outcome(cel, sample.call);
        String actual = outcome(java, sample.call);
        compared++;
        if (!expected.equals(actual) && mismatches.size() < 20) {
          mismatches.add(source + " on " + sample.text + ": CEL " + expected + ", Java " + actual);
        }
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(compiled).as("generated expressions compiled to Java").isGreaterThan(1_000);
    for (String shape : SHAPES) {
      assertThat(shapes.getOrDefault(shape, 0)).as("compiled expressions with '%s' (%s)", shape, shapes)
          .isGreaterThan(30);
    }
    assertThat(compared).isGreaterThan(40_000);
  }

  @Test
  void theShapesPoliciesUseCompileToJava() {
    for (String source : List.of("args.amount <= 100", "args.to.endsWith(\"@acme.example\")",
        "args.amount * 2 <= 100", "args.to.matches('^[a-z]+@acme[.]example$')", "has(args.to) && args.to != ''",
        "(args.amount > 100 ? args.approved : true) == true", "size(session.tools_called) + 3 < 10",
        "args.total - args.discount >= 0.0", "args.a ? true : false", "-args.delta < 5",
        "args.path.startsWith('/reports/') && !args.path.contains('..')", "args.region == agent.attributes.region",
        "agent.attributes.tier >= 3", "\"crm.read_lead3\" in session.tools_called",
        "!(\"untrusted_content\" in session.labels)", "session.calls < 100", "tool.annotations.readOnlyHint == true",
        "args.tone in [\"formal\", \"neutral\"]", "size(args.items) <= 10 || args.items.size() == 0",
        "\"worker\" in agent.roles && args.region != null")) {
      assertThat(ExprParser.compile(source)).as(source).isPresent();
    }
  }

  @Test
  void shapesOutsideTheCompiledSetAreLeftToCel() {
    for (String source : List.of("business_hours(now, \"Europe/Berlin\")", "args.amount * 2 <= 1.5",
        "has(args)", "has(agent.id)", "args.items.exists(i, i > 3)", "args.x == 1u", "args[\"a\"] == 1",
        "args.s.matches('(')", "(args.a ? 1 : 'x') == 1", "(args.a ? null : 'x') == 'x'", "args.a % 2.0 == 1.0",
        "--args.a == 1", "args.a + [1] == [1]", "args.a + true == 1", "(args.a + 1) == 'x'",
        "'a\\'b' == args.s", "args.a < 1e3", "args.flag", "1 == 1.0",
        "session.age > duration('1h')",
        "args.in == 1", "x.a == 1", "session.started_at < now", "args.a < 1 < 2", "[1, 'a'] == args.list")) {
      assertThat(ExprParser.compile(source)).as(source).isEmpty();
    }
  }

  @Test
  void aConditionErrorNamesTheMissingKey() {
    Condition c = Condition.compile("args.amount <= 100 && args.currency == 'EUR'", Mark.NONE, Condition.Scope.CALL,
        "test", new Problems()).orElseThrow();
    Agent bot = agent(Map.of());
    Activation call = new Activation(call(bot, json("{\"amount\": 5}"), Set.of(), List.of()),
        POLICY.engine().view(bot), "acme.refund", "acme", null, Set.of(), Set.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.test(call))
        .isInstanceOf(EvalError.class).hasMessage("args.currency: no such key 'currency'");
  }

  private static String outcome(Condition condition, Activation call) {
    try {
      return String.valueOf(condition.test(call));
    } catch (Exception e) {
      return "error";
    }
  }

  private static String boolExpr(Random r, int depth) {
    int pick = depth <= 0 ? r.nextInt(4) : r.nextInt(8);
    return switch (pick) {
      case 0 -> operand(r) + " " + pickOf(r, "==", "!=", "<", "<=", ">", ">=") + " " + operand(r);
      case 1 -> operand(r) + " in " + (r.nextBoolean() ? pickOf(r, LISTS) : path(r));
      case 2 -> stringOperand(r) + "." + pickOf(r, "startsWith", "endsWith", "contains") + "(" + stringOperand(r) + ")";
      case 3 -> switch (r.nextInt(5)) {
        case 0 -> pickOf(r, "true", "false", operand(r) + " == " + operand(r));
        case 1 -> stringOperand(r) + ".matches(" + regex(r) + ")";
        case 2 -> "matches(" + stringOperand(r) + ", " + regex(r) + ")";
        case 3 -> "has(" + pickOf(r, "args.a", "args.obj", "args.obj.a", "args.obj.s", "args.s.x", "args.missing.x",
            "agent.attributes.region", "agent.attributes.tier", "tool.annotations.readOnlyHint") + ")";
        default -> "(" + boolExpr(r, 0) + " ? " + boolExpr(r, 0) + " : " + boolExpr(r, 0) + ")";
      };
      case 4 -> "!" + (r.nextBoolean() ? "(" + boolExpr(r, depth - 1) + ")" : boolExpr(r, 0));
      case 5 -> boolExpr(r, depth - 1) + " && " + boolExpr(r, depth - 1);
      case 6 -> boolExpr(r, depth - 1) + " || " + boolExpr(r, depth - 1);
      default -> "(" + boolExpr(r, depth - 1) + ")";
    };
  }

  private static String operand(Random r) {
    return switch (r.nextInt(9)) {
      case 6 -> operand(r) + " " + pickOf(r, "+", "-", "*", "/", "%") + " " + operand(r);
      case 7 -> "-" + pickOf(r, path(r), "size(" + path(r) + ")", "(" + operand(r) + ")");
      case 8 -> "(" + boolExpr(r, 0) + " ? " + operand(r) + " : " + operand(r) + ")";
      case 0, 1 -> path(r);
      case 2 -> pickOf(r, LITERALS);
      case 3 -> "size(" + (r.nextBoolean() ? path(r) : pickOf(r, "\"héllo\"", "[1, 2]")) + ")";
      case 4 -> path(r) + ".size()";
      default -> r.nextInt(4) == 0 ? pickOf(r, LISTS) : path(r);
    };
  }

  private static String regex(Random r) {
    return r.nextInt(4) == 0 ? path(r) : pickOf(r, "'^a'", "\"b$\"", "'[.]example$'", "'^crm[.]'", "''", "'é'",
        "'(?i)EU'", "'^[a-z]+@acme[.]example$'", "'[0-9]+'", "'a|'");
  }

  private static String stringOperand(Random r) {
    return r.nextInt(3) == 0 ? pickOf(r, "\"a\"", "\"@acme.example\"", "\"\"", "'crm.'") : path(r);
  }

  private static String path(Random r) {
    return r.nextInt(3) == 0 ? pickOf(r, OTHER_PATHS) : pickOf(r, ARG_PATHS);
  }

  @SafeVarargs
  private static <T> T pickOf(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  /** A generated call, and what it holds, for the failure message. */
  private record Sample(Activation call, String text) {}

  private static Sample sample(Random r) {
    ObjectNode args = Json.object();
    for (String key : List.of("a", "b", "s", "n", "list", "obj")) {
      if (r.nextInt(5) != 0) {
        args.set(key, jsonValue(r, 2));
      }
    }
    Map<String, Object> attributes = new HashMap<>();
    if (r.nextInt(4) != 0) {
      attributes.put("region", pickOf(r, "EU", "US", 3L, true));
    }
    if (r.nextInt(4) != 0) {
      attributes.put("tier", pickOf(r, 1L, 3L, 5L, 2.5, "3"));
    }
    Agent bot = agent(attributes);
    Set<String> labels = subset(r, "private_data", "untrusted_content", "external_egress");
    List<String> called = List.copyOf(subset(r, "crm.read", "mail.send", "files.delete"));
    Set<String> toolLabels = subset(r, "private_data", "financial");
    JsonNode annotations = switch (r.nextInt(4)) {
      case 0 -> null;
      case 1 -> json("{\"readOnlyHint\": true}");
      case 2 -> json("{\"readOnlyHint\": \"yes\"}");
      default -> json("{}");
    };
    String tool = pickOf(r, "crm.read", "mail.send");
    Set<String> factLabels = r.nextBoolean() ? Set.of("external_egress") : Set.of();
    Activation call = new Activation(call(bot, args, labels, called), POLICY.engine().view(bot), tool,
        tool.substring(0, tool.indexOf('.')), annotations, toolLabels, factLabels);
    return new Sample(call, "args " + args + ", agent attributes " + attributes + ", session labels " + labels
        + ", tools called " + called + ", tool " + tool + " labels " + toolLabels + factLabels + " annotations "
        + annotations);
  }

  private static JsonNode jsonValue(Random r, int depth) {
    return switch (r.nextInt(depth > 0 ? 12 : 10)) {
      case 0 -> Json.MAPPER.getNodeFactory().numberNode(pickOf(r, 0L, 1L, 3L, -2L, 100L, 101L));
      case 1 -> Json.MAPPER.getNodeFactory().numberNode(pickOf(r, 1.5, -0.5, 2.0, 100.0, 99.5));
      case 2, 3 -> Json.MAPPER.getNodeFactory().textNode(pickOf(r, "", "a", "ab", "EU", "bob@acme.example",
          "crm.read", "héllo", "private_data", "(", "^ab"));
      case 4 -> Json.MAPPER.getNodeFactory().booleanNode(r.nextBoolean());
      case 5 -> Json.MAPPER.getNodeFactory().nullNode();
      case 6 -> json(pickOf(r, "[1, 2, 3]", "[\"EU\", \"US\"]", "[]", "[1.5, 2.0]"));
      case 7 -> json(pickOf(r, "{\"a\": 1}", "{\"a\": 1, \"s\": \"x\"}", "{}"));
      case 8 -> Json.MAPPER.getNodeFactory().numberNode(3);
      case 9 -> json("9999999999999999999");
      default -> {
        ObjectNode o = Json.object();
        o.set("a", jsonValue(r, depth - 1));
        if (r.nextBoolean()) {
          o.set("s", jsonValue(r, depth - 1));
        }
        yield o;
      }
    };
  }

  private static Set<String> subset(Random r, String... items) {
    Set<String> out = new LinkedHashSet<>();
    for (String item : items) {
      if (r.nextBoolean()) {
        out.add(item);
      }
    }
    return out;
  }

  private static Agent agent(Map<String, Object> attributes) {
    return new Agent("bot", "v1", Set.of("worker"), attributes, List.of(), "key-1");
  }

  private static Call call(Agent agent, JsonNode args, Set<String> labels, List<String> called) {
    Fixtures.Session session = new Fixtures.Session(labels, called);
    return new Call("1", agent, session, "tools/call", "t", args, Json.object(), "2026-07-28", Json.object(),
        Fixtures.TUESDAY_10_BERLIN);
  }

  private static JsonNode json(String text) {
    return Fixtures.json(text);
  }
}
