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

  @ParameterizedTest
  @EnumSource(NodeProxy.Kind.class)
  void eachPlainProxyServesThe2026WireAndTheWireCheckSaysWhatRunsBehindIt(NodeProxy.Kind kind, @TempDir Path dir)
      throws Exception {
    NodeProxy.Install install = installed();
    try (NodeProxy proxy = NodeProxy.start(kind, install, dir.resolve(kind.label + ".log"))) {
      McpClient.open(http, new McpClient.Target(kind.label, proxy.url(), McpClient.Wire.V2025, McpClient.TOOL, null,
          false), 1); // one 2025 session, as in the load table: its server is running before the 2026 calls
      McpClient modern = McpClient.open(http, new McpClient.Target(kind.label + "-2026", proxy.url(),
          McpClient.Wire.V2026, McpClient.TOOL, null, false), 0);

      WireCheck check = WireCheck.run(modern, proxy.handle(), 3);
      Lane lane = kind.processPerSession ? Lane.proxy(modern, proxy).watchingUpstream() : Lane.proxy(modern, proxy);
      RunResult run = lane.measured(() -> ClosedLoop.run(modern, 2, Duration.ofMillis(300)));

      assertThat(check.serves()).as("%s: %s; log: %s", kind.label, check.describe(),
          Files.readString(dir.resolve(kind.label + ".log"))).isTrue();
      assertThat(check.running()).as("the 2025 session's server").isEqualTo(1);
      if (kind.processPerSession) {
        assertThat(check.started()).as("supergateway starts a server per 2026 call").isGreaterThanOrEqualTo(3);
        assertThat(check.describe()).contains("a new stdio server process for each call");
        assertThat(run.fixtureCpu()).as("µs per call: a JVM started for each call and stopped after it")
            .isGreaterThan(50_000);
      } else {
        assertThat(check.started()).as("mcp-proxy relays to its one server").isZero();
        assertThat(check.describe()).contains("no new process");
      }
      assertThat(run.completed()).isPositive();
      assertThat(run.errors()).isZero();
    }
  }

  @Test
  void theWireCheckReportsWhatAProxyAnsweredWhenItCannotServeTheCall(@TempDir Path dir) throws Exception {
    NodeProxy.Install install = installed();
    try (NodeProxy proxy = NodeProxy.start(NodeProxy.Kind.MCP_PROXY, install, dir.resolve("mcp-proxy.log"))) {
      McpClient wrong = McpClient.open(http, new McpClient.Target("mcp-proxy-2026", proxy.url(), McpClient.Wire.V2026,
          "no_such_tool", null, false), 0);

      WireCheck check = WireCheck.run(wrong, proxy.handle(), 2);

      assertThat(check.serves()).isFalse();
      assertThat(check.failure()).hasValueSatisfying(f -> assertThat(f).startsWith("HTTP "));
      assertThat(check.describe()).startsWith("does not serve it: 0 of 2 calls").contains(check.failure().get());
    }
  }

  @Test
  void sessionMemoryReadsTheWholeProcessTreeOfEachProxy(@TempDir Path dir) throws Exception {
    NodeProxy.Install install = installed();
    try (NodeProxy mcpProxy = NodeProxy.start(NodeProxy.Kind.MCP_PROXY, install, dir.resolve("mcp-proxy.log"));
        NodeProxy supergateway = NodeProxy.start(NodeProxy.Kind.SUPERGATEWAY, install,
            dir.resolve("supergateway.log"))) {
      McpClient.Target shared = new McpClient.Target("mcp-proxy", mcpProxy.url(), McpClient.Wire.V2025,
          McpClient.TOOL, null, false);
      McpClient.open(http, shared, 1);
      McpClient.Target perSession = new McpClient.Target("supergateway", supergateway.url(), McpClient.Wire.V2025,
          McpClient.TOOL, null, false);

      SessionMemory.Result one = SessionMemory.measure(http, shared, mcpProxy.handle(), 100, true);
      SessionMemory.Result each = SessionMemory.measure(http, perSession, supergateway.handle(), 2, false);

      assertThat(one.before().processes()).as("node and its one server").isEqualTo(one.after().processes());
      assertThat(one.before().pssBytes()).as("node and a JVM").isGreaterThan(50L << 20);
      assertThat(each.after().processes()).as("a server (and its shell) per session")
          .isGreaterThanOrEqualTo(each.before().processes() + 2);
      assertThat(each.pssPer1000()).as("a JVM per session, times 500").isGreaterThan(1000.0 * (10L << 20));
      assertThat(each.describe()).contains("extrapolated from 2 sessions");
      assertThat(SessionMemory.toOpen(1000, true)).isEqualTo(SessionMemory.PER_PROCESS);
      assertThat(SessionMemory.toOpen(1000, false)).isEqualTo(1000);
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
  void portcullisWithTheStdioUpstreamRelaysRealCallsOnBothWiresAndAuditsThem(@TempDir Path dir) throws Exception {
    ApiKeys.NewKey key = ApiKeys.create("bench");
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, LoadHarness.stdioPolicy(key.yamlEntry()));
    Policy policy = PolicyLoader.load(file);
    try (AuditLog audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db")), Redactor.secrets());
        Gateway gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(dir), audit)) {
      McpClient client = McpClient.open(http, new McpClient.Target("portcullis-stdio", gateway.mcpUrl(),
          McpClient.Wire.V2025, LoadHarness.GATEWAY_TOOL, key.plaintext(), false), 2);

      McpClient modern = McpClient.open(http, new McpClient.Target("portcullis-stdio-2026", gateway.mcpUrl(),
          McpClient.Wire.V2026, LoadHarness.GATEWAY_TOOL, key.plaintext(), true), 0);

      RunResult run = ClosedLoop.run(client, 2, Duration.ofMillis(300));
      WireCheck check = WireCheck.run(modern, ProcessHandle.current(), 3);

      assertThat(run.completed()).isPositive();
      assertThat(run.errors()).isZero();
      assertThat(check.serves()).as(check.describe()).isTrue();
      assertThat(check.started()).as("Portcullis keeps its one stdio server on the 2026 wire").isZero();
      assertThat(ProcessHandle.current().descendants()).as("the stdio server Portcullis launched")
          .anySatisfy(p -> assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/java")));
      assertThat(audit.stats().entries()).isPositive();
    }
  }
}
