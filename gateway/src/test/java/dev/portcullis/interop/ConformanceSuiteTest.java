package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import dev.portcullis.testsupport.CredentialProxy;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.testing.NodePeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    Path suite = NodePeers.module("@modelcontextprotocol/conformance/dist/index.js");
    McpFixture.silenceLibraryLogging();
    try (McpFixture.Running fixture = ConformanceServer.fixture().startHttp(0, Set.of(fixtureWire));
         GatewayHarness gateway = GatewayHarness.start(POLICY.formatted(fixture.url()));
         CredentialProxy proxy = new CredentialProxy(gateway.gateway().baseUri(), gateway.key("conformance"))) {
      String url = proxy.url("/mcp").toString();
      Path logs = Path.of("target/conformance/fixture-" + fixtureWire.name().toLowerCase()).toAbsolutePath();
      deleteRecursively(logs);
      Files.createDirectories(logs);
      NodePeers.Run modern = run(suite, logs, List.of("server", "--url", url, "--requirements", "2026-07-28"));
      NodePeers.Run legacy = run(suite, logs, List.of("server", "--url", url, "--requirements", "2025-11-25"));
      NodePeers.Run headers = run(suite, logs, List.of("server", "--url", url, "--scenario", "http-header-validation"));

      assertThat(modern.exitCode()).as("2026-07-28 set, fixture on %s:%n%s", fixtureWire, failures(modern)).isZero();
      assertThat(legacy.exitCode()).as("2025-11-25 set, fixture on %s:%n%s", fixtureWire, failures(legacy)).isZero();
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

  /** The lines naming failed checks, for the assertion message. */
  private static String failures(NodePeers.Run run) {
    List<String> lines = new ArrayList<>();
    for (String line : run.output().split("\n")) {
      if (line.contains("FAIL") || line.contains("✗") || line.contains("❌") || line.contains("Total")) {
        lines.add(line);
      }
    }
    return String.join("\n", lines);
  }

  private static NodePeers.Run run(Path suite, Path dir, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(suite.toString()));
    command.addAll(args);
    command.addAll(List.of("-o", dir.resolve(args.get(args.size() - 1) + "-checks").toString()));
    return NodePeers.run(dir.resolve(args.get(args.size() - 1) + ".log"), command);
  }
}
