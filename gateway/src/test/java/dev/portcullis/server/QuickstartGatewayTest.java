package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Verification;
import dev.portcullis.json.Json;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.testing.NodePeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quickstart policy (examples/quickstart.yaml, with its demo keys) in front of the demo tool server over stdio:
 * what each agent sees, what it may do, what it is refused, and what the audit log keeps. Only the upstream's command
 * is replaced, so the test does not need bin/portcullis built.
 */
class QuickstartGatewayTest {
  private static GatewayHarness gateway;
  private static Path sandbox;
  private static String supportKey;
  private static String opsKey;

  @BeforeAll
  static void start() throws Exception {
    Path repo = NodePeers.repo();
    sandbox = Files.createTempDirectory("acme-sandbox");
    Files.createDirectories(sandbox.resolve("reports"));
    Files.writeString(sandbox.resolve("reports/q3.txt"), "Q3 revenue: 42\n");
    List<String> command = FixtureProcess.command(DemoToolServer.class, List.of("--sandbox", sandbox.toString()));
    String policy = Files.readString(repo.resolve("examples/quickstart.yaml"))
        .replace("command: [../bin/portcullis, tool-server, demo]", "command: " + Json.write(Json.MAPPER.valueToTree(command)));
    gateway = GatewayHarness.start(policy);
    for (String line : Files.readAllLines(repo.resolve("examples/quickstart.keys.txt"))) {
      if (line.startsWith("support-bot ")) {
        supportKey = line.split("\\s+")[1];
      } else if (line.startsWith("ops-bot ")) {
        opsKey = line.split("\\s+")[1];
      }
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static McpTestClient client(String key) {
    return McpTestClient.stateless(gateway.mcpUrl()).header("Authorization", "Bearer " + key);
  }

  private static ObjectNode args(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  private static List<String> toolNames(ObjectNode listResult) {
    return StreamSupport.stream(listResult.path("tools").spliterator(), false).map(t -> t.path("name").asText()).toList();
  }

  private static String text(ObjectNode result) {
    return result.path("content").path(0).path("text").asText();
  }

  @Test
  void eachAgentSeesOnlyTheToolsItsRolesGrant() {
    List<String> support = toolNames(client(supportKey).result("tools/list", null));
    List<String> ops = toolNames(client(opsKey).result("tools/list", null));

    assertThat(support).containsExactly("acme.crm_get", "acme.crm_search", "acme.mail_send", "acme.tickets_read");
    assertThat(ops).contains("acme.billing_refund", "acme.crm_delete", "acme.files_read").doesNotContain("acme.debug_crash");
  }

  @Test
  void agentCanReadItsPermissionSummaryAsAResourceAndAPrompt() {
    McpTestClient agent = client(supportKey);
    ObjectNode resources = agent.result("resources/list", null);
    assertThat(resources.path("resources").path(0).path("uri").asText()).isEqualTo("portcullis://permissions");

    String summary = agent.result("resources/read", Json.object().put("uri", "portcullis://permissions"))
        .path("contents").path(0).path("text").asText();
    String prompt = agent.result("prompts/get", Json.object().put("name", "portcullis.permissions"))
        .path("messages").path(0).path("content").path("text").asText();

    assertThat(summary).contains("support-bot", "acme.crm_search", "acme.mail_send").doesNotContain("acme.billing_refund");
    assertThat(prompt).isEqualTo(summary);
  }

  @Test
  void allowedSearchIsRelayedAndFilteredToTheAgentsRegionWithSecretsRedacted() throws Exception {
    ObjectNode result = client(supportKey).callTool("acme.crm_search", args("{\"query\": \"\"}")).result();

    assertThat(result.path("isError").asBoolean()).isFalse();
    JsonNode customers = result.path("structuredContent").path("customers");
    assertThat(customers.size()).isPositive();
    for (JsonNode customer : customers) {
      assertThat(customer.path("region").asText()).isEqualTo("EU");
      assertThat(customer.path("card_number").asText()).doesNotContainPattern("\\d{4}");
    }
  }

  @Test
  void mailToAnOutsideAddressIsDeniedWithAReasonTheAgentCanActOn() throws Exception {
    ObjectNode result = client(supportKey).callTool("acme.mail_send",
        args("{\"to\": \"someone@evil.example\", \"subject\": \"hi\", \"body\": \"data\"}")).result();

    assertThat(result.path("isError").asBoolean()).isTrue();
    assertThat(text(result)).contains("acme.mail_send", "Denied by Portcullis");
    assertThat(result.path("_meta").path("dev.portcullis/denial").path("rule").asText()).isNotEmpty();
  }

  @Test
  void parameterTheToolDoesNotDeclareIsRefused() throws Exception {
    ObjectNode result = client(supportKey).callTool("acme.crm_search", args("{\"query\": \"a\", \"admin\": true}")).result();

    assertThat(result.path("isError").asBoolean()).isTrue();
    assertThat(text(result)).contains("admin");
    assertThat(result.path("_meta").path("dev.portcullis/denial").path("rule").asText()).isEqualTo("undeclared-arguments");
  }

  @Test
  void refundAboveTheGrantsMaximumIsNotPerformed() throws Exception {
    ObjectNode small = client(opsKey).callTool("acme.billing_refund",
        args("{\"customer_id\": \"C001\", \"amount\": 50, \"reason\": \"late delivery\"}")).result();
    ObjectNode large = client(opsKey).callTool("acme.billing_refund",
        args("{\"customer_id\": \"C001\", \"amount\": 150, \"reason\": \"late delivery\"}")).result();

    assertThat(small.path("isError").asBoolean()).as(text(small)).isFalse();
    assertThat(large.path("isError").asBoolean()).isTrue();
    assertThat(text(large)).contains("large-refunds", "approval");
  }

  @Test
  void dryRunGrantAnswersWithoutWritingTheFile() throws Exception {
    ObjectNode result = client(opsKey).callTool("acme.files_write",
        args("{\"path\": \"reports/new.txt\", \"content\": \"x\"}")).result();

    assertThat(result.path("isError").asBoolean()).isFalse();
    assertThat(text(result)).startsWith("Dry run");
    assertThat(sandbox.resolve("reports/new.txt")).doesNotExist();
  }

  @Test
  void lethalTrifectaBlocksEgressEvenWhenTheAgentDropsItsSessionHandle() throws Exception {
    McpTestClient agent = client(opsKey);
    ObjectNode mail = args("{\"to\": \"colleague@acme.example\", \"subject\": \"s\", \"body\": \"b\"}");
    assertThat(agent.callTool("acme.mail_send", mail).result().path("isError").asBoolean())
        .as("mail before any private or untrusted read").isFalse();

    agent.callTool("acme.crm_get", args("{\"id\": \"C001\"}"));
    agent.callTool("acme.tickets_read", args("{\"ticket_id\": \"T-1001\"}"));
    ObjectNode denied = agent.callTool("acme.mail_send", mail).result();

    assertThat(denied.path("isError").asBoolean()).isTrue();
    assertThat(text(denied)).contains("no-egress-after-untrusted-private");
    // A fresh client sends no session handle: a new trajectory, but the credential's labels stay.
    ObjectNode again = client(opsKey).callTool("acme.mail_send", mail).result();
    assertThat(text(again)).contains("no-egress-after-untrusted-private");
  }

  @Test
  void forgedSessionHandleIsRefusedBeforeAnythingRuns() throws Exception {
    ObjectNode params = Json.object().put("name", "acme.crm_search");
    params.set("arguments", args("{\"query\": \"a\"}"));
    params.putObject("_meta").put("dev.portcullis/session", "s_forged.AAAAAAAAAAAAAAAAAAAAAA");
    McpTestClient.Response response = client(supportKey).request("tools/call", params);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error().path("message").asText()).contains("forged or foreign");
  }

  @Test
  void missingKeyIsRefusedWith401AndAChallenge() {
    McpTestClient.Response response = McpTestClient.stateless(gateway.mcpUrl()).request("tools/list", null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("resource_metadata="));
  }

  @Test
  void everyRequestIsInTheAuditChainWithItsDecision() throws Exception {
    client(supportKey).callTool("acme.billing_refund", args("{\"customer_id\": \"C001\", \"amount\": 5, \"reason\": \"r\"}"));
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      assertThat(AuditLog.verify(store)).isInstanceOf(Verification.Intact.class);
      List<AuditRecord> records = new ArrayList<>(store.range(1, 10_000));
      assertThat(records).anySatisfy(r -> {
        assertThat(r.tool()).isEqualTo("acme.billing_refund");
        assertThat(r.agent()).isEqualTo("support-bot");
        assertThat(r.rule()).isEqualTo("default-deny");
        assertThat(r.outcome()).isEqualTo(dev.portcullis.audit.AuditEntry.Outcome.NOT_FORWARDED);
      });
    }
  }

}
