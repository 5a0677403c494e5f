package dev.portcullis.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTestsTest {
  @TempDir
  Path dir;

  @BeforeEach
  void writePolicy() throws Exception {
    Files.writeString(dir.resolve("shop.yaml"), """
        version: 1
        agents:
          clerk: { roles: [sales] }
        roles:
          sales:
            grants:
              - { id: discounts, tools: [shop.discount], args: { percent: { maximum: 20 } } }
        """);
  }

  @Test
  void passingAndFailingCasesAreReportedWithExpectedVersusActual() throws Exception {
    Files.writeString(dir.resolve("shop.tests.yaml"), """
        tests:
          - name: small discount
            agent: clerk
            tool: shop.discount
            arguments: { percent: 10 }
            expect: { effect: allow, rule: discounts }
          - name: big discount wrongly expected to pass
            agent: clerk
            tool: shop.discount
            arguments: { percent: 50 }
            expect: { effect: allow }
        """);
    PolicyTests.Report report = PolicyTests.run(dir, Optional.empty());
    assertThat(report.passed()).isFalse();
    assertThat(report.total()).isEqualTo(2);
    assertThat(report.failed()).isEqualTo(1);
    String text = report.render(false);
    assertThat(text).contains("FAIL  big discount wrongly expected to pass  (" + dir.resolve("shop.tests.yaml") + ":7:5)")
        .contains("expected: effect allow", "actual:   effect deny, rule discounts",
            "shop.discount percent 50 exceeds maximum 20 of grant discounts")
        .doesNotContain("PASS  small discount")
        .endsWith("FAIL: 1/2 tests passed\n");
    assertThat(report.render(true)).contains("PASS  small discount");
  }

  @Test
  void malformedTestFileIsReportedWithPositions() throws Exception {
    Files.writeString(dir.resolve("shop.tests.yaml"), """
        tests:
          - name: no effect
            agent: clerk
            tool: shop.discount
            expect: { rule: discounts, efect: allow }
        """);
    PolicyTests.Report report = PolicyTests.run(dir.resolve("shop.tests.yaml"), Optional.empty());
    assertThat(report.passed()).isFalse();
    assertThat(report.files().get(0).error()).get().asString()
        .contains("shop.tests.yaml:5:32: error: unknown key 'efect'", "did you mean 'effect'?", "must expect an effect");
  }

  @Test
  void aBrokenPolicyIsReportedInsteadOfRunningCases() throws Exception {
    Files.writeString(dir.resolve("shop.tests.yaml"), "policy: missing.yaml\ntests: []\n");
    PolicyTests.Report report = PolicyTests.run(dir, Optional.empty());
    assertThat(report.passed()).isFalse();
    assertThat(report.render(false)).contains("missing.yaml: error: policy file does not exist");
  }

  @Test
  void anEmptyDirectoryIsAFailureNotASilentPass() {
    assertThat(PolicyTests.run(dir.resolve("nothing-here"), Optional.empty()).passed()).isFalse();
  }
}
