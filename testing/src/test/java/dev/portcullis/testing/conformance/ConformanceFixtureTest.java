package dev.portcullis.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.NodePeers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the official MCP conformance suite ({@code @modelcontextprotocol/conformance}, on Node 22 from
 * testing/js/node_modules) against the conformance fixture over HTTP, on each wire.
 */
class ConformanceFixtureTest {
  private static final Pattern SCENARIO = Pattern.compile("^([✓✗]) (\\S+): (\\d+) passed, (\\d+) failed", Pattern.MULTILINE);
  private static final Pattern UNSCORED_EXTENSION = Pattern.compile("^\\s+[✓✗] (\\S+) \\(extension\\)", Pattern.MULTILINE);
  private static final Pattern SINGLE_RESULT = Pattern.compile("Passed: (\\d+)/(\\d+), (\\d+) failed");

  private static final String SUITE = "node_modules/@modelcontextprotocol/conformance/dist/index.js";

  @BeforeAll
  static void findNodeAndSuite() {
    NodePeers.file(SUITE);
  }

  @ParameterizedTest(name = "fixture --wire {0}, suite --requirements {1}")
  @CsvSource({"2026, 2026-07-28", "2025, 2025-11-25", "both, 2026-07-28", "both, 2025-11-25"})
  void everyScoredScenarioPasses(String wire, String requirements, @TempDir Path results) throws Exception {
    try (FixtureProcess fixture = FixtureProcess.conformanceHttp(wire)) {
      NodePeers.Run run = runSuite(results, "--url", fixture.url().toString(), "--requirements", requirements);

      Set<String> failing = new LinkedHashSet<>();
      int scenarios = 0;
      Matcher matcher = SCENARIO.matcher(run.output());
      while (matcher.find()) {
        scenarios++;
        if (matcher.group(1).equals("✗")) {
          failing.add(matcher.group(2));
        }
      }
      Matcher extension = UNSCORED_EXTENSION.matcher(run.output());
      while (extension.find()) {
        failing.remove(extension.group(1));
      }

      assertThat(run.exitCode()).as("suite exit code; output:\n%s", run.output()).isZero();
      assertThat(scenarios).as("scenarios reported").isGreaterThanOrEqualTo(30);
      assertThat(failing).as("failing scenarios (unscored extensions excepted); fixture stderr:\n%s",
          fixture.stderr()).isEmpty();
    }
  }

  @Test
  void httpHeaderValidationScenarioPasses(@TempDir Path results) throws Exception {
    try (FixtureProcess fixture = FixtureProcess.conformanceHttp("2026")) {
      NodePeers.Run run = runSuite(results, "--url", fixture.url().toString(), "--scenario", "http-header-validation");

      Matcher matcher = SINGLE_RESULT.matcher(run.output());
      assertThat(matcher.find()).as("a 'Passed: n/m' line in:\n%s", run.output()).isTrue();
      assertThat(Integer.parseInt(matcher.group(3))).as("failed checks; output:\n%s", run.output()).isZero();
      assertThat(Integer.parseInt(matcher.group(1))).isEqualTo(Integer.parseInt(matcher.group(2)));
      assertThat(run.exitCode()).isZero();
    }
  }

  private static NodePeers.Run runSuite(Path results, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SUITE, "server"));
    command.addAll(List.of(args));
    command.addAll(List.of("-o", results.toString()));
    return NodePeers.run(results.resolve("suite.log"), command);
  }
}
