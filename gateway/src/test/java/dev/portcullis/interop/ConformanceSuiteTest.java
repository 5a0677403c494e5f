package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import dev.portcullis.testsupport.CredentialProxy;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.testsupport.NodePeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official MCP conformance suite, run against Portcullis with the conformance fixture behind it — once per fixture
 * wire, so the translation between wires is exercised too. The suite cannot send credentials, so a loopback proxy
 * adds the test agent's key; everything else (Host, Origin, MCP headers) reaches the gateway untouched.
 */
class ConformanceSuiteTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        fixture: { url: "%s", prefix: "", wire: auto }
      agents:
        conformance:
          roles: [everything]
          keys: [ ${key:conformance} ]
      roles:
        everything:
          grants:
            - id: all-fixture-tools
              description: The conformance suite may call every fixture tool, prompt and resource.
              tools: ["*"]
              prompts: ["*"]
              resources: ["*"]
      """;

  @ParameterizedTest(name = "fixture on the {0} wire")
  @EnumSource(Wire.class)
  void suitePassesThroughTheGatewayOnBothClientWires(Wire fixtureWire) throws Exception {
    Path node = NodePeers.node();
    Path suite = NodePeers.module("@modelcontextprotocol/conformance/dist/index.js");
    McpFixture.silenceLibraryLogging();
    try (McpFixture.Running fixture = ConformanceServer.fixture().startHttp(0, Set.of(fixtureWire));
         GatewayHarness gateway = GatewayHarness.start(POLICY.formatted(fixture.url()));
         CredentialProxy proxy = new CredentialProxy(gateway.gateway().baseUri(), gateway.key("conformance"))) {
      String url = proxy.url("/mcp").toString();
      Path logs = Path.of("target/conformance/fixture-" + fixtureWire.name().toLowerCase());
      deleteRecursively(logs);
      Files.createDirectories(logs);
      Run modern = run(node, suite, logs, List.of("server", "--url", url, "--requirements", "2026-07-28"));
      Run legacy = run(node, suite, logs, List.of("server", "--url", url, "--requirements", "2025-11-25"));
      Run headers = run(node, suite, logs, List.of("server", "--url", url, "--scenario", "http-header-validation"));

      assertThat(modern.exitCode()).as("2026-07-28 set, fixture on %s:%n%s", fixtureWire, modern.failures()).isZero();
      assertThat(legacy.exitCode()).as("2025-11-25 set, fixture on %s:%n%s", fixtureWire, legacy.failures()).isZero();
      assertThat(headers.output()).as("http-header-validation:%n%s", headers.output()).doesNotContain("FAILURE", "❌");
      assertThat(headers.exitCode()).isZero();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  record Run(int exitCode, String output) {
    /** The lines naming failed checks, for the assertion message. */
    String failures() {
      List<String> lines = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (line.contains("FAIL") || line.contains("✗") || line.contains("❌") || line.contains("Total")) {
          lines.add(line);
        }
      }
      return String.join("\n", lines);
    }
  }

  private static Run run(Path node, Path suite, Path dir, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(node.toString(), suite.toString()));
    command.addAll(args);
    command.addAll(List.of("-o", dir.resolve(args.get(args.size() - 1) + "-checks").toString()));
    Path log = dir.resolve(String.join("-", args.subList(args.size() - 1, args.size())) + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the conformance suite did not finish in 5 minutes: " + command);
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
