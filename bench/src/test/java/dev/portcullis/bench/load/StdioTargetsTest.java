package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import dev.portcullis.testing.kit.McpFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stdio targets of the load table, each in front of the real stdio server: the plain proxies from npm (run by
 * Node 22; skipped when it is not installed, except under CI=true where that fails) and Portcullis with the stdio
 * upstream. A call counts as answered only when it carries the tool's real result, whatever framing the proxy uses.
 */
class StdioTargetsTest {
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    McpFixture.silenceLibraryLogging();
    http = new HttpClient();
    http.start();
  }

  @AfterAll
  static void stop() throws Exception {
    http.stop();
  }

  private static NodeProxy.Install installed() {
    NodeProxy.Install install = NodeProxy.Install.find();
    install.problem().ifPresent(problem -> {
      if ("true".equals(System.getenv("CI"))) {
        fail(problem);
      }
      Assumptions.abort(problem);
    });
    return install;
  }

  @ParameterizedTest
  @EnumSource(NodeProxy.Kind.class)
  void eachPlainProxyRelaysARealCallToTheStdioServer(NodeProxy.Kind kind, @TempDir Path dir) throws Exception {
    NodeProxy.Install install = installed();
    try (NodeProxy proxy = NodeProxy.start(kind, install, dir.resolve(kind.label + ".log"))) {
      McpClient client = McpClient.open(http, new McpClient.Target(kind.label, proxy.url(), McpClient.Wire.V2025,
          McpClient.TOOL, null, false), 2);

      ContentResponse answer = client.call().send();
      RunResult run = ClosedLoop.run(client, 2, Duration.ofMillis(300));

      assertThat(answer.getContentAsString()).as("%s answer", kind.label).contains(McpClient.EXPECTED);
      assertThat(client.ok(answer.getStatus(), answer.getContentAsString())).as(answer.getContentAsString()).isTrue();
      assertThat(run.completed()).isPositive();
      assertThat(run.errors()).as("log: %s", Files.readString(dir.resolve(kind.label + ".log"))).isZero();
      assertThat(proxy.upstreams()).as("the stdio servers %s launched", kind.label)
          .anySatisfy(p -> assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/java")));
    }
  }

  @Test
  void aCallThePlainProxyCannotAnswerCountsAsAnError(@TempDir Path dir) throws Exception {
    NodeProxy.Install install = installed();
    try (NodeProxy proxy = NodeProxy.start(NodeProxy.Kind.MCP_PROXY, install, dir.resolve("mcp-proxy.log"))) {
      McpClient client = McpClient.open(http, new McpClient.Target("wrong tool", proxy.url(), McpClient.Wire.V2025,
          "test_error_handling", null, false), 1);

      RunResult run = ClosedLoop.run(client, 1, Duration.ofMillis(300));

      assertThat(run.errors()).isEqualTo(run.completed()).isPositive();
    }
  }

  @Test
  void portcullisWithTheStdioUpstreamRelaysARealCallAndAuditsIt(@TempDir Path dir) throws Exception {
    ApiKeys.NewKey key = ApiKeys.create("bench");
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, LoadHarness.stdioPolicy(key.yamlEntry()));
    Policy policy = PolicyLoader.load(file);
    try (AuditLog audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db")), Redactor.secrets());
        Gateway gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(dir), audit)) {
      McpClient client = McpClient.open(http, new McpClient.Target("portcullis-stdio", gateway.mcpUrl(),
          McpClient.Wire.V2025, LoadHarness.GATEWAY_TOOL, key.plaintext(), false), 2);

      RunResult run = ClosedLoop.run(client, 2, Duration.ofMillis(300));

      assertThat(run.completed()).isPositive();
      assertThat(run.errors()).isZero();
      assertThat(ProcessHandle.current().descendants()).as("the stdio server Portcullis launched")
          .anySatisfy(p -> assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/java")));
      assertThat(audit.stats().entries()).isPositive();
    }
  }
}
