package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load drivers against a real fixture and a real gateway (in this JVM, to keep the test short): every call they
 * count as answered was the tool's real result, on both wires, directly and through Portcullis; a refused call is
 * counted as an error, not as a fast answer.
 */
class LoadDriversTest {
  private static McpFixture.Running fixture;
  private static Gateway gateway;
  private static AuditLog audit;
  private static HttpClient http;
  private static String key;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    McpFixture.silenceLibraryLogging();
    fixture = ConformanceServer.fixture().startHttp(0, EnumSet.allOf(Wire.class));
    ApiKeys.NewKey newKey = ApiKeys.create("bench");
    key = newKey.plaintext();
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, LoadHarness.policy(fixture.url().toString(), newKey.yamlEntry()));
    Policy policy = PolicyLoader.load(file);
    audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db")), Redactor.secrets());
    gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(dir), audit);
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    http.stop();
    gateway.close();
    audit.close();
    fixture.close();
  }

  private static McpClient client(String name, boolean viaGateway, McpClient.Wire wire, String bearer)
      throws Exception {
    return McpClient.open(http, new McpClient.Target(name, viaGateway ? gateway.mcpUrl() : fixture.url(), wire,
        viaGateway ? LoadHarness.GATEWAY_TOOL : McpClient.TOOL, bearer, viaGateway), 2);
  }

  @Test
  void closedLoopCountsRealResultsDirectlyAndThroughTheGatewayOnBothWires() throws Exception {
    for (McpClient.Wire wire : McpClient.Wire.values()) {
      RunResult direct = ClosedLoop.run(client("direct", false, wire, null), 2, Duration.ofMillis(500));
      RunResult gatewayed = ClosedLoop.run(client("portcullis", true, wire, key), 2, Duration.ofMillis(500));

      assertThat(direct.completed()).as("direct on %s", wire).isPositive();
      assertThat(direct.errors()).as("direct on %s", wire).isZero();
      assertThat(gatewayed.completed()).as("through Portcullis on %s", wire).isPositive();
      assertThat(gatewayed.errors()).as("through Portcullis on %s", wire).isZero();
    }
    assertThat(audit.stats().entries()).as("every gateway call was audited").isPositive();
  }

  @Test
  void openLoopOffersTheRequestedNumberOfCalls() throws Exception {
    RunResult r = OpenLoop.run(client("portcullis", true, McpClient.Wire.V2026, key), 200, Duration.ofMillis(500));

    assertThat(r.completed()).isEqualTo(100);
    assertThat(r.errors()).isZero();
    assertThat(r.p50()).isPositive().isLessThanOrEqualTo(r.p99());
  }

  @Test
  void callsTheGatewayRefusesCountAsErrorsNotAsAnswers() throws Exception {
    RunResult wrongKey = ClosedLoop.run(client("wrong key", true, McpClient.Wire.V2026,
        ApiKeys.create("bench").plaintext()), 1, Duration.ofMillis(300));
    RunResult wrongTool = ClosedLoop.run(McpClient.open(http, new McpClient.Target("wrong tool", gateway.mcpUrl(),
        McpClient.Wire.V2026, "fixture.test_error_handling", key, false), 0), 1, Duration.ofMillis(300));

    assertThat(wrongKey.errors()).isEqualTo(wrongKey.completed()).isPositive();
    assertThat(wrongTool.errors()).isEqualTo(wrongTool.completed()).isPositive();
  }
}
