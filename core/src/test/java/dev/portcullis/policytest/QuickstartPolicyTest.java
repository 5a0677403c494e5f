package dev.portcullis.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuickstartPolicyTest {
  static final Path EXAMPLES = Path.of(System.getProperty("portcullis.repo", "..")).resolve("examples");

  @Test
  void quickstartPolicyLoadsWithoutWarnings() {
    Policy policy = PolicyLoader.load(EXAMPLES.resolve("quickstart.yaml"));
    assertThat(policy.warnings()).isEmpty();
    assertThat(policy.agents()).containsKeys("support-bot", "ops-bot");
    assertThat(policy.upstreams().get("acme").command().get(0)).endsWith("bin/portcullis");
  }

  @Test
  void quickstartPolicyTestsPass() {
    PolicyTests.Report report = PolicyTests.run(EXAMPLES.resolve("quickstart.tests.yaml"), Optional.empty());
    assertThat(report.passed()).as(report.render(true)).isTrue();
    assertThat(report.total()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void demoKeysInTheKeysFileAuthenticateTheirAgents() throws Exception {
    Policy policy = PolicyLoader.load(EXAMPLES.resolve("quickstart.yaml"));
    int keys = 0;
    for (String line : Files.readAllLines(EXAMPLES.resolve("quickstart.keys.txt"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" ");
      assertThat(policy.authenticate(parts[1])).get().extracting(a -> a.id()).isEqualTo(parts[0]);
      keys++;
    }
    assertThat(keys).isEqualTo(2);
  }
}
