package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Problems;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Conditions only CEL handles are type-checked many at a time ({@link CelBatch}); each must come out as the program it
 * would be alone, with errors, positions and load errors unchanged.
 */
class CelBatchTest {
  private static final Policy POLICY = Fixtures.BOT_MAY_CALL_ANYTHING;

  @Test
  void batchCheckedConditionsEvaluateAsConditionsCheckedAlone() {
    long salt = System.nanoTime();
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      long n = salt % 1000 + i;
      sources.add(switch (i % 6) {
        case 0 -> "args['amount'] * 2 <= " + n;
        case 1 -> "string(args['to']).matches('^[a-z]+@acme[.]example$') || args.amount > " + n;
        case 2 -> "(args['amount'] > " + n + " ? args.approved : true) == true";
        case 3 -> "size(session.tools_called) + dyn(" + n + ") < " + (n + 2);
        case 4 -> "business_hours(now, 'Europe/Berlin') && args['amount'] - " + n + " < 0";
        default -> "string(args['amount']) != '" + n + "'\n  && int(args['amount']) % 2 == " + (i % 2);
      });
    }
    Condition.prewarm(sources, List.of());
    Random random = new Random(3);
    for (String source : sources) {
      assertThat(Condition.isCached(source, Condition.Scope.CALL)).as(source).isTrue();
      Condition batched = Condition.compile(source, Mark.NONE, Condition.Scope.CALL, "test", new Problems())
          .orElseThrow();
      Condition alone = Condition.celOnly(source, Condition.Scope.CALL, new Problems()).orElseThrow();
      assertThat(batched.compiledToJava()).isFalse();
      for (int j = 0; j < 10; j++) {
        Activation call = sample(random);
        assertThat(outcome(batched, call)).as(source).isEqualTo(outcome(alone, call));
      }
    }
  }

  @Test
  void macrosMapsAndListsCheckedInABatchEvaluateAsCheckedAlone() {
    long n = System.nanoTime() % 1000;
    List<String> sources = List.of(
        "[args.amount, " + n + "].all(x, x >= 0) && {'a': " + n + ", 'b': 2}['a'] == " + n,
        "[1, 2, " + n + "].map(x, x * 2).exists(y, y == " + (2 * n) + ") || args.amount > " + n,
        "has(args.to) ? args.to.endsWith('@x" + n + ".example') : [[1], [" + n + "]].size() == 2",
        "{'k': [args.amount]}.k.filter(v, v > " + n + ").size() == 0",
        "args['amount'] * 4 > " + n, "args['amount'] * 5 > " + n, "args['amount'] * 6 > " + n,
        "args['amount'] * 7 > " + n, "args['amount'] * 8 > " + n);
    Condition.prewarm(sources, List.of());
    Random random = new Random(5);
    for (String source : sources) {
      assertThat(Condition.isCached(source, Condition.Scope.CALL)).as(source).isTrue();
      Condition batched = Condition.compile(source, Mark.NONE, Condition.Scope.CALL, "test", new Problems())
          .orElseThrow();
      Condition alone = Condition.celOnly(source, Condition.Scope.CALL, new Problems()).orElseThrow();
      for (int j = 0; j < 10; j++) {
        Activation call = sample(random);
        assertThat(outcome(batched, call)).as(source).isEqualTo(outcome(alone, call));
      }
    }
  }

  @Test
  void anExpressionThatOnlyParsesBesideItsNeighboursIsStillALoadError() {
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sources.add("args['amount'] * 9 <= " + (System.nanoTime() % 1000 + i));
    }
    String unbalanced = "args['amount'] * 9 > 1) || (true";
    sources.add(10, unbalanced);
    Condition.prewarm(sources, List.of());
    assertThat(Condition.isCached(unbalanced, Condition.Scope.CALL)).isFalse();
    Problems problems = new Problems();
    assertThat(Condition.compile(unbalanced, Mark.NONE, Condition.Scope.CALL, "grant 'g'", problems)).isEmpty();
    assertThat(problems.all()).singleElement().satisfies(p -> assertThat(p.toString()).contains("does not compile"));
  }

  @Test
  void anExpressionThatIsNotAConditionIsStillALoadError() {
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sources.add("args['amount'] * 3 <= " + (System.nanoTime() % 1000 + i));
    }
    sources.add("args.amount + 1");
    sources.add("args.amount + 'one' > 2");
    Condition.prewarm(sources, List.of());
    assertThat(Condition.isCached(sources.getFirst(), Condition.Scope.CALL)).isTrue();
    for (String bad : List.of("args.amount + 1", "args.amount + 'one' > 2")) {
      Problems problems = new Problems();
      assertThat(Condition.compile(bad, Mark.NONE, Condition.Scope.CALL, "grant 'g'", problems)).isEmpty();
      assertThat(problems.all()).singleElement().satisfies(p -> assertThat(p.toString()).contains("does not compile"));
    }
  }

  @Test
  void aPolicyWithManyConditionsReportsTheOneTypeErrorAtItsLine() {
    StringBuilder yaml = new StringBuilder("""
        version: 1
        roles:
          worker:
            grants:
        """);
    for (int i = 0; i < 30; i++) {
      yaml.append("      - id: g").append(i).append("\n        tools: [t.x]\n        when: args.n * ")
          .append(i == 17 ? "'two'" : String.valueOf(i + 2)).append(" < 100\n");
    }
    assertThatThrownBy(() -> PolicyLoader.fromText("many.yaml", yaml.toString()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("many.yaml:" + (5 + 17 * 3 + 2) + ":")
        .hasMessageContaining("grant 'g17'")
        .hasMessageContaining("policy has 1 error");
  }

  @Test
  void evaluationErrorsPointIntoTheConditionAsWritten() {
    String source = "args['amount'] * 5 <= 7 && args.missing_" + System.nanoTime() + " == 1";
    Condition.prewarm(List.of(source, "args['x'] * 5 < 1", "args['y'] * 5 < 1", "args['z'] * 5 < 1",
        "args['w'] * 5 < 1", "args['v'] * 5 < 1", "args['u'] * 5 < 1", "args['t'] * 5 < 1",
        "args['s'] * 5 < 1"), List.of());
    assertThat(Condition.isCached(source, Condition.Scope.CALL)).isTrue();
    Condition batched = Condition.compile(source, Mark.NONE, Condition.Scope.CALL, "test", new Problems())
        .orElseThrow();
    Condition alone = Condition.celOnly(source, Condition.Scope.CALL, new Problems()).orElseThrow();
    Activation call = activation("{\"amount\": 1}");
    assertThat(message(batched, call)).isEqualTo(message(alone, call)).contains("missing_");
  }

  private static String message(Condition c, Activation call) {
    try {
      return "no error: " + c.test(call);
    } catch (Exception e) {
      return e.getMessage();
    }
  }

  private static String outcome(Condition c, Activation call) {
    try {
      return String.valueOf(c.test(call));
    } catch (Exception e) {
      return "error";
    }
  }

  private static Activation sample(Random r) {
    ObjectNode args = Json.object();
    if (r.nextInt(5) != 0) {
      args.put("amount", r.nextInt(3) == 0 ? r.nextDouble() * 2000 : r.nextInt(2000));
    }
    if (r.nextBoolean()) {
      args.put("to", r.nextBoolean() ? "ana@acme.example" : "eve@evil.example");
    }
    if (r.nextBoolean()) {
      args.put("approved", r.nextBoolean());
    }
    return activation(args.toString());
  }

  private static Activation activation(String arguments) {
    Agent bot = new Agent("bot", "v1", Set.of("worker"), Map.of(), List.of(), "key-1");
    Call call = new Call("1", bot, Fixtures.session("crm.read"), "tools/call", "t", Fixtures.json(arguments),
        Json.object(), "2026-07-28", Json.object(), Instant.parse("2026-03-03T09:00:00Z"));
    return new Activation(call, POLICY.engine().view(bot), "crm.read", "crm", null, Set.of(), Set.of());
  }
}
