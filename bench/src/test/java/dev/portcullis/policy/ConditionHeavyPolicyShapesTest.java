package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.bench.policy.ConditionHeavyPolicy;
import dev.portcullis.bench.policy.ConditionHeavyPolicy.Conditions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every condition of the load benchmark's policies — the {@code CEL_ONLY} kind included, named for the shapes only
 * CEL once handled — compiles to Java, so that the benchmark measures a load that never sets CEL up. (In core's
 * package, to ask {@link ExprParser} directly.)
 */
class ConditionHeavyPolicyShapesTest {
  @Test
  void everyBenchmarkConditionCompilesToJava() {
    for (Conditions kind : Conditions.values()) {
      List<String> leftToCel = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String condition = ConditionHeavyPolicy.condition(i, kind, 3);
        if (ExprParser.compile(condition).isEmpty()) {
          leftToCel.add(condition);
        }
      }
      assertThat(leftToCel).as("%s conditions left to CEL", kind).isEmpty();
    }
  }
}
