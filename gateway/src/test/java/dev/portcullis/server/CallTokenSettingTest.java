package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.json.Json;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import java.util.EnumSet;
import dev.portcullis.testsupport.CredentialProxy;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.verifier.PerCallTokenVerifier;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-upstream {@code call_token} setting: {@code header} sends each allowed call's token in
 * {@code X-Portcullis-Call-Token}; {@code none} mints and sends nothing (and the audit entry names no token). The
 * default (the bearer credential) is checked by {@code GatewayIdentityTest}, the header beside an upstream's own
 * secret by {@code UpstreamSecretsTest}.
 */
class CallTokenSettingTest {
  private static final String CALL_TOKEN = PerCallTokenVerifier.CALL_TOKEN_HEADER.toLowerCase();

  private static FixtureProcess demo;
  private static McpFixture.Running conformance;
  private static CredentialProxy asHeader;
  private static CredentialProxy off;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    demo = FixtureProcess.http(DemoToolServer.class);
    conformance = ConformanceServer.fixture().startHttp(0, EnumSet.allOf(Wire.class));
    asHeader = CredentialProxy.recording(demo.url());
    off = CredentialProxy.recording(conformance.url());
    gateway = GatewayHarness.start("""
        version: 1
        upstreams:
          header: { url: "%s", call_token: header }
          off:    { url: "%s", call_token: none }
        agents:
          support-bot: { roles: [all], keys: [ ${key:support-bot} ] }
        roles:
          all: { grants: [ { id: everything, tools: ["*"] } ] }
        """.formatted(asHeader.url(demo.url().getPath()), off.url(conformance.url().getPath())));
    McpTestClient agent = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("support-bot"));
    assertThat(Json.write(agent.callTool("header.tickets_read", Json.object().put("ticket_id", "T-1001")).result()))
        .contains("T-1001").doesNotContain("\"isError\":true");
    assertThat(Json.write(agent.callTool("off.test_simple_text", Json.object()).result()))
        .doesNotContain("\"isError\":true");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    asHeader.close();
    off.close();
    conformance.close();
    demo.close();
  }

  private static List<CredentialProxy.Seen> toolCalls(CredentialProxy proxy) {
    return proxy.seen().stream().filter(s -> s.bodyText().contains("\"tools/call\"")).toList();
  }

  @Test
  void headerSendsTheTokenInItsOwnHeader() {
    assertThat(toolCalls(asHeader)).singleElement().satisfies(call -> {
      assertThat(call.header(CALL_TOKEN)).startsWith("ey");
      assertThat(call.header("authorization")).isNull();
    });
  }

  @Test
  void noneSendsNoTokenAndTheAuditNamesNone() throws Exception {
    assertThat(toolCalls(off)).singleElement().satisfies(call -> {
      assertThat(call.header(CALL_TOKEN)).isNull();
      assertThat(call.header("authorization")).isNull();
    });
    List<AuditRecord> calls;
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      calls = store.range(1, 1000).stream().filter(r -> "tools/call".equals(r.method())).toList();
    }
    assertThat(calls).hasSize(2);
    assertThat(calls).filteredOn(r -> r.tool().startsWith("off.")).singleElement()
        .satisfies(r -> assertThat(r.extra().has("perCallJti")).isFalse());
    assertThat(calls).filteredOn(r -> !r.tool().startsWith("off."))
        .allSatisfy(r -> assertThat(r.extra().path("perCallJti")).hasSize(1));
  }
}
