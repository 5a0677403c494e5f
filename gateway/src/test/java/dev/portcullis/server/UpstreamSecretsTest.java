package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.json.Json;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testsupport.CredentialProxy;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.verifier.PerCallTokenVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Upstream secrets (a bearer token and a header for an HTTP upstream, an environment variable for a stdio one, all
 * read from files) reach the upstream and nothing else: not the agent's tool lists, results or errors, not the audit
 * log, not the gateway's log.
 */
class UpstreamSecretsTest {
  private static final String BEARER = "bearer-secret-7f3a9c1e5b";
  private static final String API_KEY = "header-secret-2d8e4f6a0c";
  private static final String ENV = "env-secret-9b1d3f5e7a";
  private static final List<String> SECRETS = List.of(BEARER, API_KEY, ENV);

  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static Level previousLevel;
  private static FixtureProcess files;
  private static CredentialProxy filesWire;
  private static GatewayHarness gateway;
  private static final List<String> seenByAgent = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Logger portcullis = (Logger) LoggerFactory.getLogger("dev.portcullis");
    previousLevel = portcullis.getLevel();
    portcullis.setLevel(Level.DEBUG);
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);

    Path secrets = Files.createTempDirectory("secrets");
    Files.writeString(secrets.resolve("bearer"), BEARER + "\n");
    Files.writeString(secrets.resolve("api-key"), API_KEY + "\n");
    Files.writeString(secrets.resolve("env"), ENV + "\n");
    files = FixtureProcess.http(DemoToolServer.class);
    filesWire = CredentialProxy.recording(files.url());
    List<String> conformance = FixtureProcess.command(ConformanceServer.class, List.of());
    gateway = GatewayHarness.start("""
        version: 1
        upstreams:
          files:
            url: "%s"
            bearer: { file: %s }
            headers: { X-Api-Key: { file: %s } }
          local:
            command: %s
            env: { ACME_TOKEN: { file: %s } }
        agents:
          support-bot: { roles: [all], keys: [ ${key:support-bot} ] }
        roles:
          all: { grants: [ { id: everything, tools: ["*"] } ] }
        """.formatted(filesWire.url(files.url().getPath()), secrets.resolve("bearer"), secrets.resolve("api-key"),
        Json.write(Json.MAPPER.valueToTree(conformance)), secrets.resolve("env")));

    McpTestClient agent = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("support-bot"));
    record(agent.request("tools/list", null));
    record(agent.callTool("files.tickets_read", Json.object().put("ticket_id", "T-1001")));
    record(agent.callTool("local.test_simple_text", Json.object()));
    record(agent.callTool("files.crm_get", Json.object().put("id", "no-such-customer")));
    record(agent.callTool("files.crm_search", Json.object().put("query", "").put("undeclared", true)));
    record(agent.callTool("files.debug_crash", Json.object()));
    record(agent.callTool("files.tickets_read", Json.object().put("ticket_id", "T-1001")));
  }

  private static void record(McpTestClient.Response response) {
    seenByAgent.add(response.headers() + " " + response.body());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    filesWire.close();
    files.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    ((Logger) LoggerFactory.getLogger("dev.portcullis")).setLevel(previousLevel);
  }

  @Test
  void httpUpstreamReceivesItsSecretsWithThePerCallTokenBesideThem() {
    List<CredentialProxy.Seen> calls = filesWire.seen().stream()
        .filter(s -> s.bodyText().contains("\"tools/call\"")).toList();

    assertThat(calls).isNotEmpty().allSatisfy(call -> {
      assertThat(call.header("authorization")).isEqualTo("Bearer " + BEARER);
      assertThat(call.header("x-api-key")).isEqualTo(API_KEY);
      assertThat(call.header(PerCallTokenVerifier.CALL_TOKEN_HEADER.toLowerCase())).startsWith("ey");
    });
  }

  @Test
  void noSecretReachesTheAgentInListsResultsOrErrors() {
    assertThat(seenByAgent).hasSize(7).allSatisfy(answer -> assertThat(answer).doesNotContain(SECRETS));
  }

  @Test
  void noSecretIsInTheAuditLog() throws Exception {
    byte[] database = Files.readAllBytes(gateway.auditFile());
    String raw = new String(database, java.nio.charset.StandardCharsets.ISO_8859_1);
    List<AuditRecord> records;
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      records = store.range(1, 10_000);
    }

    assertThat(records).hasSizeGreaterThanOrEqualTo(7);
    assertThat(raw).doesNotContain(SECRETS);
    assertThat(records).allSatisfy(r -> assertThat(r.toString()).doesNotContain(SECRETS));
  }

  @Test
  void noSecretIsInTheGatewaysLogOrInItsConfigurationsText() {
    List<String> lines = LOGS.list.stream().map(e -> e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();

    assertThat(lines).anySatisfy(l -> assertThat(l).contains("files"));
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(SECRETS));
    assertThat(gateway.gateway().policy().upstreams().toString()).doesNotContain(SECRETS);
  }

  @Test
  void toolListsAndResultsReachTheAgentIntact() {
    ObjectNode result = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("support-bot"))
        .callTool("local.test_simple_text", Json.object()).result();

    assertThat(result.path("isError").asBoolean()).isFalse();
    assertThat(seenByAgent.getFirst()).contains("files.tickets_read", "local.test_simple_text");
  }
}
