package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Mark;
import dev.portcullis.config.Problems;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Conditions compiled to plain Java ({@link ExprParser}) must mean exactly what CEL makes of them: on generated
 * expressions of every supported shape ({@link GeneratedConditions}) and generated calls ({@link GeneratedCalls}:
 * missing keys, nulls, wrong types, nested values, numbers at the edges, sessions of every age), both forms give the
 * same outcome — true, false, or an error (which denies).
 */
class ConditionCompilerDifferentialTest {
  /** Every shape must be compiled (and compared) many times. */
  private static final List<String> SHAPES = List.of(" + ", " - ", " * ", " / ", " % ", "-args", "-size", " ? ",
      ".matches(", "(matches(", "has(", ".startsWith(", " in ", "size(", "!", " && ", " || ", " <= ", ".all(",
      ".exists(", ".exists_one(", "el.", "(it, ", "int(", "double(", "string(", "duration(", "session.age",
      "session.started_at", "now", "business_hours(");

  @Test
  void everyCompiledShapeEvaluatesAsCelDoes() {
    Random random = new Random(42);
    GeneratedConditions conditions = new GeneratedConditions(random);
    int compiled = 0;
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    Map<String, Integer> shapes = new HashMap<>();
    for (int i = 0; i < 4_000; i++) {
      String source = conditions.condition();
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
      for (int j = 0; j < 30; j++) {
        GeneratedCalls.Sample sample = GeneratedCalls.sample(random);
        String expected = outcome(cel, sample.call());
        String actual = outcome(java, sample.call());
        compared++;
        if (!expected.equals(actual) && mismatches.size() < 20) {
          mismatches.add(source + " on " + sample.text() + ": CEL " + expected + ", Java " + actual);
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
        "\"worker\" in agent.roles && args.region != null", "args.items.all(x, x < 5)",
        "args.recipients.exists(r, r.endsWith(\"@acme.example\"))", "int(args.count) + 5 < 100",
        "session.age < duration(\"5s\")", "session.calls < 50 && session.age < duration(\"1h\")",
        "!business_hours(now, \"Europe/Berlin\")", "business_hours(now, 'America/New_York') || args.urgent == true",
        "session.started_at < now", "session.age >= duration('1h30m') && session.age <= duration('24h')",
        "args.lines.all(l, has(l.sku) && l.amount <= 100)", "args.to.exists_one(t, t.endsWith('@acme.example'))",
        "args.groups.exists(g, g.members.exists(m, m == agent.id))", "args.tags.all(t, t in agent.attributes.tags)",
        "double(args.price) * 1.2 <= 100.0", "string(args.id).startsWith('A-')", "int(args.page) < 10",
        "args.headers.all(h, !h.startsWith('x-internal-'))", "int(now) - int(session.started_at) < 3600")) {
      assertThat(ExprParser.compile(source)).as(source).isPresent();
      Problems problems = new Problems();
      assertThat(Condition.celOnly(source, Condition.Scope.CALL, problems)).as("CEL compiles %s: %s", source,
          problems.all()).isPresent();
    }
  }

  @Test
  void shapesOutsideTheCompiledSetAreLeftToCel() {
    for (String source : List.of("args.amount * 2 <= 1.5", "has(args)", "has(agent.id)", "args.x == 1u",
        "args[\"a\"] == 1", "args.s.matches('(')", "(args.a ? 1 : 'x') == 1", "(args.a ? null : 'x') == 'x'",
        "args.a % 2.0 == 1.0", "--args.a == 1", "args.a + [1] == [1]", "args.a + true == 1", "(args.a + 1) == 'x'",
        "'a\\'b' == args.s", "args.a < 1e3", "args.flag", "1 == 1.0", "args.in == 1", "x.a == 1",
        "args.a < 1 < 2", "[1, 'a'] == args.list",
        // macros: a variable that shadows a name, a reserved word or the accumulator; a predicate that is not a
        // bool; a range that is not dyn; two variables; macros other than all, exists and exists_one
        "args.items.all(args, args > 1)", "args.items.all(x, args.more.exists(x, x > 1))",
        "args.items.exists(now, true)", "args.items.exists(int, int > 1)", "args.items.all(__result__, true)",
        "args.items.all(in, true)", "args.items.all(x, x)", "[1, 2].all(x, x > 0)", "args.m.all(k, v, v > 1)",
        "args.items.all(x.y, true)", "args.items.map(x, x * 2).size() > 1", "args.items.filter(x, x > 1) == []",
        "session.age.all(x, true)", "args.items.all(x, x > 1).size() == 1",
        // conversions CEL's checker rejects or that need more than these overloads
        "int(true) == 1", "string(now) == ''", "string(session.age) == '1s'", "double(null) == 1.0",
        "int(session.age) == 1", "dyn(args.a) == 1", "uint(args.a) == 1u", "int(args.a, 1) == 1",
        // durations and timestamps: literals in doubt, arithmetic, functions, mixing with dyn
        "duration(args.d) < session.age", "session.age < duration('1d')", "session.age < duration('1.s')",
        "session.age < duration('1.0000000001s')", "session.age < duration('87660001h')",
        "session.age < duration('1µs')", "session.age == args.x", "session.age in [duration('1s')]",
        "session.age + duration('1s') < duration('1h')", "now - session.started_at > duration('1h')",
        "now.getHours('Europe/Berlin') > 9", "timestamp('2026-01-01T00:00:00Z') < now",
        "(args.a ? session.age : args.b) == args.c", "session.age.seconds > 1", "has(session.age)",
        "business_hours(now, 'Mars/Base')", "business_hours(now)", "business_hours(1, 'UTC')")) {
      assertThat(ExprParser.compile(source)).as(source).isEmpty();
    }
  }

  @Test
  void durationLiteralsReadAsCelReadsThem() throws Exception {
    List<String> accepted = new ArrayList<>();
    for (String literal : List.of("0", "-0", "+0", "5s", "-5s", "+5s", "1h30m", "2h45m10.5s", "1.5h", "0.5ms",
        "1.123456789h", "0.000000001s", "0.999999999ns", "2.5ns", "100ms", "1500us", "250000ns", "05s", "1m1m",
        "999999999s", "87660000h", "-87660000h", "3s2h", "0.1s0.2s", "1.000000000s")) {
      java.time.Duration java = Functions.durationLiteral(literal).orElse(null);
      if (java == null) {
        continue;
      }
      accepted.add(literal);
      dev.cel.common.CelAbstractSyntaxTree ast = CelEnv.batchCompiler(Condition.Scope.CALL)
          .compile("duration('" + literal + "')").getAst();
      assertThat(CelEnv.runtime().createProgram(ast).eval(Map.of())).as(literal).isEqualTo(java);
    }
    assertThat(accepted).hasSize(25);
    for (String doubtful : List.of("", "-", "1", "1d", "1.s", ".5s", "1.0000000001s", "1234567890s", "87660001h",
        "1µs", "1 s", " 1s", "1s ", "--1s", "+-1s", "1h-1m", "1S", "1e3s")) {
      assertThat(Functions.durationLiteral(doubtful)).as(doubtful).isEmpty();
    }
  }

  @Test
  void aConditionErrorNamesTheMissingKey() {
    Condition c = Condition.compile("args.amount <= 100 && args.currency == 'EUR'", Mark.NONE, Condition.Scope.CALL,
        "test", new Problems()).orElseThrow();
    Agent bot = new Agent("bot", "v1", Set.of("worker"), Map.of(), List.of(), "key-1");
    Call call = Fixtures.call(bot, "acme.refund", "{\"amount\": 5}");
    Activation activation = new Activation(call, ConditionTest.POLICY.engine().view(bot), "acme.refund", "acme",
        null, Set.of(), Set.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.test(activation))
        .isInstanceOf(EvalError.class).hasMessage("args.currency: no such key 'currency'");
  }

  private static String outcome(Condition condition, Activation call) {
    try {
      return String.valueOf(condition.test(call));
    } catch (Exception e) {
      return "error";
    }
  }
}
