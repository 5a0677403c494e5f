package dev.portcullis.testing.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpError;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acme demo tools: precise schemas, seed data, private data in results, egress recorded, sandboxed files. */
class DemoToolServerTest {
  @TempDir
  static Path sandbox;
  @TempDir
  static Path outside;
  private static McpFixture.Running server;
  private static McpTestClient client;

  @BeforeAll
  static void start() throws Exception {
    server = DemoToolServer.fixture(sandbox).startHttp(0, EnumSet.allOf(Wire.class));
    client = McpTestClient.stateless(server.url());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void everyToolHasADescriptionAnnotationsAndAClosedInputSchema() {
    JsonNode tools = client.result("tools/list", Json.object()).path("tools");

    assertThat(names(tools)).contains("crm_search", "crm_get", "crm_delete", "tickets_read", "mail_send",
        "billing_refund", "files_read", "files_write", "files_list", "debug_crash", "debug_sleep");
    for (JsonNode tool : tools) {
      String name = tool.path("name").asText();
      assertThat(tool.path("description").asText()).as(name).isNotBlank();
      assertThat(tool.path("inputSchema").path("additionalProperties").asBoolean(true)).as(name).isFalse();
      assertThat(tool.path("annotations").has("readOnlyHint")).as(name).isTrue();
    }
    assertThat(annotation(tools, "crm_delete", "destructiveHint")).isTrue();
    assertThat(annotation(tools, "mail_send", "openWorldHint")).isTrue();
    assertThat(annotation(tools, "crm_search", "readOnlyHint")).isTrue();
  }

  @Test
  void anUndeclaredArgumentIsRefusedAsAToolError() {
    ObjectNode result = client.callTool("crm_search", Json.object().put("query", "").put("limit", 5)).result();

    assertThat(result.path("isError").asBoolean()).isTrue();
    assertThat(result.path("content").get(0).path("text").asText()).contains("limit");
  }

  @Test
  void searchReturnsStructuredCustomersWithPrivateFieldsAndTheSameJsonAsText() {
    ObjectNode result = client.callTool("crm_search", Json.object().put("query", "").put("region", "APAC")).result();
    JsonNode customers = result.path("structuredContent").path("customers");

    assertThat(customers).hasSize(6);
    assertThat(customers).allSatisfy(c -> {
      assertThat(c.path("region").asText()).isEqualTo("APAC");
      assertThat(c.path("card_number").asText()).matches("\\d{4}-\\d{4}-\\d{4}-\\d{4}");
      assertThat(c.path("ssn").asText()).matches("\\d{3}-\\d{2}-\\d{4}");
    });
    assertThat(Json.parse(result.path("content").get(0).path("text").asText()))
        .isEqualTo(result.path("structuredContent"));
  }

  @Test
  void seedDataIsTwentyCustomersAcrossThreeRegions() {
    JsonNode customers = client.callTool("crm_search", Json.object().put("query", "")).result()
        .path("structuredContent").path("customers");

    assertThat(customers).hasSize(20);
    assertThat(StreamSupport.stream(customers.spliterator(), false).map(c -> c.path("region").asText()).distinct())
        .containsExactlyInAnyOrder("EU", "US", "APAC");
  }

  @Test
  void ticketT1003CarriesAPromptInjection() {
    String text = client.callTool("tickets_read", Json.object().put("ticket_id", "T-1003")).result()
        .path("content").get(0).path("text").asText();

    assertThat(text).contains("Ignore previous instructions");
  }

  @Test
  void sentMailIsRecordedInTheOutbox() {
    client.callTool("mail_send", Json.object().put("to", "ops@acme.example").put("subject", "hi").put("body", "b"))
        .result();

    JsonNode sent = client.callTool("debug_outbox", Json.object()).result().path("structuredContent").path("sent");

    assertThat(sent).anySatisfy(mail -> assertThat(mail.path("to").asText()).isEqualTo("ops@acme.example"));
  }

  @Test
  void refundReturnsARefundIdAndRefusesUnknownCustomers() {
    ObjectNode ok = client.callTool("billing_refund", Json.object().put("customer_id", "C003").put("amount", 25.5)
        .put("reason", "duplicate charge")).result();
    ObjectNode unknown = client.callTool("billing_refund", Json.object().put("customer_id", "C999")
        .put("amount", 1).put("reason", "x")).result();
    ObjectNode negative = client.callTool("billing_refund", Json.object().put("customer_id", "C003")
        .put("amount", -5).put("reason", "x")).result();

    assertThat(ok.path("structuredContent").path("refund_id").asText()).matches("R-\\d{6}");
    assertThat(unknown.path("isError").asBoolean()).isTrue();
    assertThat(negative.path("isError").asBoolean()).isTrue();
  }

  @Test
  void filesAreWrittenAndReadInsideTheSandbox() throws Exception {
    client.callTool("files_write", Json.object().put("path", "notes/a.txt").put("content", "hello")).result();

    String read = client.callTool("files_read", Json.object().put("path", "notes/a.txt")).result()
        .path("content").get(0).path("text").asText();

    assertThat(read).isEqualTo("hello");
    assertThat(Files.readString(sandbox.resolve("notes/a.txt"))).isEqualTo("hello");
  }

  @Test
  void pathsThatLeaveTheSandboxAreRefused() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(sandbox.resolve("link"), outside);

    for (String path : List.of("../" + outside.getFileName() + "/secret.txt", outside.resolve("secret.txt").toString(),
        "link/secret.txt")) {
      ObjectNode result = client.callTool("files_read", Json.object().put("path", path)).result();
      assertThat(result.path("isError").asBoolean()).as(path).isTrue();
      assertThat(result.path("content").get(0).path("text").asText()).as(path).contains("sandbox")
          .doesNotContain("secret\"");
    }
    ObjectNode write = client.callTool("files_write", Json.object().put("path", "../escaped.txt")
        .put("content", "x")).result();
    assertThat(write.path("isError").asBoolean()).isTrue();
    assertThat(sandbox.resolveSibling("escaped.txt")).doesNotExist();
  }

  @Test
  void handbookResourceAndSummarizePromptAreServed() {
    ObjectNode handbook = client.result("resources/read", Json.object().put("uri", "acme://handbook"));
    ObjectNode prompt = client.result("prompts/get", Json.parseObject("""
        {"name": "summarize_ticket", "arguments": {"ticket_id": "T-1001"}}"""));

    assertThat(handbook.path("contents").get(0).path("text").asText()).contains("Acme support handbook");
    assertThat(prompt.path("messages").get(0).path("content").path("text").asText()).contains("VAT");
  }

  @Test
  void aCallCheckRunsBeforeEveryToolAndCanRefuseIt() throws Exception {
    McpFixture checked = DemoToolServer.fixture(sandbox, (request, tool) -> {
      if (request.httpHeader("Authorization").isEmpty()) {
        throw new McpError(McpError.INVALID_REQUEST, "no per-call token for " + tool);
      }
    });
    try (McpFixture.Running running = checked.startHttp(0, EnumSet.allOf(Wire.class));
         McpTestClient anonymous = McpTestClient.stateless(running.url());
         McpTestClient withToken = McpTestClient.stateless(running.url()).header("Authorization", "Bearer t")) {
      assertThat(anonymous.callTool("crm_get", Json.object().put("id", "C001")).error().path("message").asText())
          .contains("no per-call token for crm_get");
      assertThat(withToken.callTool("crm_get", Json.object().put("id", "C001")).result().path("isError").asBoolean())
          .isFalse();
    }
  }

  private static List<String> names(JsonNode tools) {
    return StreamSupport.stream(tools.spliterator(), false).map(t -> t.path("name").asText()).toList();
  }

  private static boolean annotation(JsonNode tools, String tool, String hint) {
    return StreamSupport.stream(tools.spliterator(), false).filter(t -> t.path("name").asText().equals(tool))
        .findFirst().orElseThrow().path("annotations").path(hint).asBoolean();
  }
}
