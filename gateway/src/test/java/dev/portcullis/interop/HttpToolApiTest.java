package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.json.Json;
import dev.portcullis.schema.SchemaCheck;
import dev.portcullis.testsupport.GatewayUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plain HTTP tool API against a real gateway with the acme demo server behind it: the same keys, policy,
 * argument checks and audit log as MCP, specific 4xx answers for bad input, and every answer valid against the
 * OpenAPI document the gateway serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpToolApiTest {
  private static final String POLICY = """
      version: 1
      server:
        limits: { max_body_bytes: 4096 }
      upstreams:
        acme: { command: %s, timeout: 5s }
      agents:
        support:
          roles: [support]
          keys: [ ${key:support} ]
        ops:
          roles: [ops]
          keys: [ ${key:ops} ]
      roles:
        support:
          grants:
            - id: read-files
              tools: [acme.files_read, acme.files_list]
        ops:
          extends: [support]
          grants:
            - id: write-reports
              tools: [acme.files_write]
              args: { path: { pattern: "^reports/" } }
            - id: debug
              tools: [acme.debug_sleep]
      """;

  @RegisterExtension
  static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)))
      .file("readme.txt", "read me over HTTP");
  private final HttpClient http = HttpClient.newHttpClient();
  private JsonNode openApi;

  @BeforeAll
  void readTheOpenApiDocument() throws Exception {
    openApi = Json.MAPPER.readTree(get("/api/v1/openapi.json", null).body());
  }

  @AfterAll
  void stop() {
    http.close();
  }

  @Test
  void openApiDocumentDescribesBothOperationsAndTheirSchemas() {
    assertThat(openApi.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(openApi.path("paths").path("/api/v1/tools").path("get").path("operationId").asText()).isEqualTo("listTools");
    JsonNode call = openApi.path("paths").path("/api/v1/tools/{name}:call").path("post");
    assertThat(call.path("operationId").asText()).isEqualTo("callTool");
    assertThat(names(call.path("responses"))).contains("200", "400", "401", "403", "404", "413", "415", "422", "502");
    assertThat(names(openApi.path("components").path("schemas"))).contains("ToolList", "Tool", "CallToolResult", "Problem");
    assertThat(openApi.path("components").path("securitySchemes").path("apiKey").path("scheme").asText()).isEqualTo("bearer");
  }

  @Test
  void eachAgentListsOnlyItsTools() throws Exception {
    HttpResponse<String> support = get("/api/v1/tools", gateway.key("support"));
    HttpResponse<String> ops = get("/api/v1/tools", gateway.key("ops"));

    assertThat(support.statusCode()).isEqualTo(200);
    assertValid("ToolList", support.body());
    assertThat(toolNames(support.body())).containsExactly("acme.files_list", "acme.files_read");
    assertThat(toolNames(ops.body())).containsExactly("acme.debug_sleep", "acme.files_list", "acme.files_read",
        "acme.files_write");
  }

  @Test
  void allowedCallIsRelayedAndAuditedUnderItsRequestId() throws Exception {
    HttpResponse<String> response = post("acme.files_write", gateway.key("ops"), "application/json",
        "{\"path\": \"reports/api.txt\", \"content\": \"via the tool API\"}", "api-test-write-1");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertValid("CallToolResult", response.body());
    assertThat(Json.MAPPER.readTree(response.body()).path("isError").asBoolean(false)).isFalse();
    assertThat(gateway.sandbox().resolve("reports/api.txt")).hasContent("via the tool API");
    assertThat(response.headers().firstValue("X-Request-Id")).contains("api-test-write-1");
    AuditRecord entry = auditEntry("api-test-write-1");
    assertThat(entry.agent()).isEqualTo("ops");
    assertThat(entry.rule()).isEqualTo("write-reports");
    assertThat(entry.extra().path("wire").asText()).isEqualTo("http_api");
  }

  @Test
  void readReturnsTheToolsContent() throws Exception {
    HttpResponse<String> response = post("acme.files_read", gateway.key("support"), "application/json",
        "{\"path\": \"readme.txt\"}", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("read me over HTTP");
  }

  @Test
  void callOutsideTheAgentsGrantsIs403NamingTheRule() throws Exception {
    HttpResponse<String> response = post("acme.files_write", gateway.key("support"), "application/json",
        "{\"path\": \"reports/support.txt\", \"content\": \"x\"}", null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertValid("Problem", response.body());
    JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("denied");
    assertThat(error.path("rule").asText()).isEqualTo("default-deny");
    assertThat(gateway.sandbox().resolve("reports/support.txt")).doesNotExist();
  }

  @Test
  void argumentsBreakingTheGrantsTighteningAreRefused() throws Exception {
    HttpResponse<String> response = post("acme.files_write", gateway.key("ops"), "application/json",
        "{\"path\": \"secrets/x.txt\", \"content\": \"x\"}", null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertValid("Problem", response.body());
    assertThat(response.body()).contains("path");
    assertThat(gateway.sandbox().resolve("secrets/x.txt")).doesNotExist();
  }

  @Test
  void undeclaredParameterIs422() throws Exception {
    HttpResponse<String> response = post("acme.files_read", gateway.key("support"), "application/json",
        "{\"path\": \"readme.txt\", \"encoding\": \"latin1\"}", null);

    assertThat(response.statusCode()).isEqualTo(422);
    assertValid("Problem", response.body());
    JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_arguments");
    assertThat(error.path("rule").asText()).isEqualTo("undeclared-arguments");
    assertThat(error.path("message").asText()).contains("encoding");
  }

  @Test
  void bodyThatIsNotJsonIs400() throws Exception {
    HttpResponse<String> response = post("acme.files_read", gateway.key("support"), "application/json", "path=readme.txt", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertValid("Problem", response.body());
    assertThat(Json.MAPPER.readTree(response.body()).path("error").path("code").asText()).isEqualTo("invalid_json");
  }

  @Test
  void bodyThatIsNotAnObjectIs400() throws Exception {
    HttpResponse<String> response = post("acme.files_read", gateway.key("support"), "application/json", "[\"readme.txt\"]", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(response.body()).path("error").path("code").asText()).isEqualTo("arguments_not_object");
  }

  @Test
  void bodyThatIsNotSentAsJsonIs415() throws Exception {
    HttpResponse<String> response = post("acme.files_read", gateway.key("support"), "text/plain", "{\"path\": \"readme.txt\"}", null);

    assertThat(response.statusCode()).isEqualTo(415);
    assertValid("Problem", response.body());
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    HttpResponse<String> response = post("acme.files_write", gateway.key("ops"), "application/json",
        "{\"path\": \"reports/big.txt\", \"content\": \"" + "x".repeat(5000) + "\"}", null);

    assertThat(response.statusCode()).isEqualTo(413);
    assertValid("Problem", response.body());
    assertThat(gateway.sandbox().resolve("reports/big.txt")).doesNotExist();
  }

  @Test
  void unknownToolIs404() throws Exception {
    HttpResponse<String> response = post("acme.files_shred", gateway.key("ops"), "application/json", "{}", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertValid("Problem", response.body());
    assertThat(response.body()).contains("acme.files_shred");
  }

  @Test
  void missingOrBadKeyIs401() throws Exception {
    HttpResponse<String> none = get("/api/v1/tools", null);
    HttpResponse<String> bad = post("acme.files_read", "pcl_knope_" + "z".repeat(43), "application/json",
        "{\"path\": \"readme.txt\"}", null);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertValid("Problem", none.body());
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).doesNotContain("read me over HTTP");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url("/api/v1/tools"))
        .header("Authorization", "Bearer " + gateway.key("ops")).DELETE().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void upstreamTimeoutIs502AndTheApiKeepsServing() throws Exception {
    HttpResponse<String> slow = post("acme.debug_sleep", gateway.key("ops"), "application/json", "{\"ms\": 60000}", null);
    HttpResponse<String> after = post("acme.files_read", gateway.key("ops"), "application/json", "{\"path\": \"readme.txt\"}", null);

    assertThat(slow.statusCode()).isEqualTo(502);
    assertValid("Problem", slow.body());
    assertThat(Json.MAPPER.readTree(slow.body()).path("error").path("upstream").asText()).isEqualTo("acme");
    assertThat(after.statusCode()).isEqualTo(200);
  }

  // ---- helpers ----

  private URI url(String path) {
    return gateway.gateway().baseUri().resolve(path);
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String tool, String key, String contentType, String body, String requestId)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/v1/tools/" + tool + ":call"))
        .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      request.header("X-Request-Id", requestId);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Validates {@code body} against a schema of the served OpenAPI document, {@code $ref}s resolved inside it. */
  private void assertValid(String schemaName, String body) throws Exception {
    String components = Json.MAPPER.writeValueAsString(openApi.path("components").path("schemas"))
        .replace("#/components/schemas/", "#/$defs/");
    ObjectNode schema = Json.object().put("$ref", "#/$defs/" + schemaName);
    schema.set("$defs", Json.MAPPER.readTree(components));
    assertThat(SchemaCheck.compile(schema).check(Json.MAPPER.readTree(body)))
        .as("%s against the OpenAPI schema %s", body, schemaName).isEmpty();
  }

  private AuditRecord auditEntry(String requestId) {
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      return store.range(1, Integer.MAX_VALUE).stream().filter(r -> r.requestId().equals(requestId)).findFirst()
          .orElseThrow(() -> new AssertionError("no audit entry for request " + requestId));
    }
  }

  private static List<String> toolNames(String body) throws Exception {
    List<String> names = new ArrayList<>();
    Json.MAPPER.readTree(body).path("tools").forEach(t -> names.add(t.path("name").asText()));
    return names;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
