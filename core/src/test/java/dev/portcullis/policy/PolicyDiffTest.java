package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {
  static final String BASE = """
      version: 1
      agents:
        a: { roles: [r] }
        b: { roles: [r] }
      roles:
        r:
          grants:
            - { id: refunds, tools: [acme.refund], args: { amount: { maximum: 100 } } }
      """;

  @Test
  void identicalPoliciesHaveNoChanges() {
    Policy p = PolicyLoader.fromText("a.yaml", BASE);
    assertThat(PolicyDiff.compare(p, PolicyLoader.fromText("b.yaml", BASE))).isEmpty();
    assertThat(PolicyDiff.render(List.of())).isEqualTo("No agent gains or loses any capability.\n");
  }

  @Test
  void raisedLimitAndNewAgentShowAsGainsAndLosses() {
    Policy before = PolicyLoader.fromText("a.yaml", BASE);
    Policy after = PolicyLoader.fromText("b.yaml", BASE.replace("maximum: 100", "maximum: 500")
        .replace("b: { roles: [r] }", "c: { roles: [r] }"));
    String text = PolicyDiff.render(PolicyDiff.compare(before, after));
    assertThat(text).contains("""
        a
          + may use tools acme.refund with amount ≤ 500 [refunds]
          - may use tools acme.refund with amount ≤ 100 [refunds]
        """).contains("b\n  - exists (roles: r, mode enforce)").contains("c\n  + exists (roles: r, mode enforce)");
  }
}
