package dev.portcullis.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.McpTestClient.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 2026-07-28 envelope over HTTP: _meta, the mirrored headers, exact error codes and statuses. */
class StatelessWireTest {
  private static McpFixture.Running server;
  private static McpTestClient client;

  @BeforeAll
  static void start() throws Exception {
    server = SampleFixture.build().startHttp(0, EnumSet.allOf(Wire.class));
    client = McpTestClient.stateless(server.url());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void discoverListsTheVersionCapabilitiesAndCachingHints() {
    ObjectNode result = client.result("server/discover", Json.object());

    assertThat(result.path("supportedVersions").toString()).isEqualTo("[\"2026-07-28\"]");
    assertThat(result.path("capabilities").has("tools")).isTrue();
    assertThat(result.path("resultType").asText()).isEqualTo("complete");
    assertThat(result.has("ttlMs")).isTrue();
    assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText())
        .isEqualTo("sample");
  }

  @Test
  void everyResultCarriesResultTypeAndListsCarryCachingHints() {
    ObjectNode list = client.result("tools/list", Json.object());
    ObjectNode read = client.result("resources/read", Json.object().put("uri", "sample://note"));
    ObjectNode call = client.callTool("echo", Json.object().put("text", "hi")).result();

    assertThat(list.path("resultType").asText()).isEqualTo("complete");
    assertThat(list.path("cacheScope").asText()).isIn("public", "private");
    assertThat(read.path("ttlMs").isIntegralNumber()).isTrue();
    assertThat(call.path("resultType").asText()).isEqualTo("complete");
    assertThat(call.has("ttlMs")).as("tools/call is not cacheable").isFalse();
  }

  @Test
  void missingMetaIs400InvalidParams() {
    ObjectNode message = message("tools/list", Json.object());

    Response response = client.send(message, Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error().path("code").asInt()).isEqualTo(-32602);
    assertThat(response.body().path("id").asInt()).isEqualTo(7);
  }

  @Test
  void metaWithoutClientCapabilitiesIs400InvalidParams() {
    ObjectNode params = Json.object();
    params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2026-07-28");

    Response response = client.send(message("tools/list", params), headers("tools/list", "2026-07-28"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error().path("code").asInt()).isEqualTo(-32602);
  }

  @Test
  void unsupportedVersionIs400WithTheSupportedList() {
    Response response = client.send(message("server/discover", meta("v999")), headers("server/discover", "v999"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error().path("code").asInt()).isEqualTo(-32022);
    assertThat(response.error().path("data").path("supported").toString()).isEqualTo("[\"2026-07-28\"]");
    assertThat(response.error().path("data").path("requested").asText()).isEqualTo("v999");
  }

  @Test
  void headerVersionDifferentFromMetaIsHeaderMismatch() {
    Response response = client.send(message("server/discover", meta("v999")),
        headers("server/discover", "2026-07-28"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.error().path("code").asInt()).isEqualTo(-32020);
  }

  @Test
  void mcpMethodHeaderMustBePresentAndEqualTheBodyMethodCaseSensitively() {
    ObjectNode body = message("tools/list", meta("2026-07-28"));
    Map<String, String> missing = Map.of("MCP-Protocol-Version", "2026-07-28");
    Map<String, String> upper = Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "TOOLS/LIST");
    Map<String, String> padded = Map.of("MCP-Protocol-Version", "2026-07-28", "mcp-method", "  tools/list ");

    assertThat(client.send(body, missing).error().path("code").asInt()).isEqualTo(-32020);
    assertThat(client.send(body, upper).status()).isEqualTo(400);
    assertThat(client.send(body, padded).result().has("tools")).isTrue();
  }

  @Test
  void mcpNameMustMirrorTheToolNamePlainOrBase64() {
    ObjectNode params = meta("2026-07-28").put("name", "echo");
    params.putObject("arguments").put("text", "x");
    ObjectNode body = message("tools/call", params);
    Map<String, String> wrong = headers("tools/call", "2026-07-28");
    wrong.put("Mcp-Name", "other");
    Map<String, String> missing = headers("tools/call", "2026-07-28");
    Map<String, String> base64 = headers("tools/call", "2026-07-28");
    base64.put("Mcp-Name", "=?base64?ZWNobw==?=");
    Map<String, String> badBase64 = headers("tools/call", "2026-07-28");
    badBase64.put("Mcp-Name", "=?base64?ZWNobw?=");

    assertThat(client.send(body, wrong).error().path("code").asInt()).isEqualTo(-32020);
    assertThat(client.send(body, missing).status()).isEqualTo(400);
    assertThat(client.send(body, base64).result().path("content").get(0).path("text").asText()).isEqualTo("x");
    assertThat(client.send(body, badBase64).status()).isEqualTo(400);
  }

  @Test
  void xMcpHeaderArgumentsMustBeMirroredInMcpParamHeaders() {
    ObjectNode args = Json.object().put("region", "EU").put("count", 3);

    Response withoutHeaders = client.callTool("regional", args);
    Response mirrored = client.send(callMessage("regional", args), withParams("regional",
        Map.of("Mcp-Param-Region", "EU", "Mcp-Param-Count", "3.0")));
    Response wrongValue = client.send(callMessage("regional", args), withParams("regional",
        Map.of("Mcp-Param-Region", "US", "Mcp-Param-Count", "3")));

    assertThat(withoutHeaders.status()).isEqualTo(400);
    assertThat(withoutHeaders.error().path("code").asInt()).isEqualTo(-32020);
    assertThat(mirrored.result().path("content").get(0).path("text").asText()).isEqualTo("region=EU");
    assertThat(wrongValue.error().path("code").asInt()).isEqualTo(-32020);
  }

  @Test
  void unknownAndRemovedMethodsAre404MethodNotFound() {
    for (String method : new String[] {"unknown/method", "initialize", "ping", "logging/setLevel",
        "resources/subscribe"}) {
      Response response = client.request(method, Json.object());
      assertThat(response.status()).as(method).isEqualTo(404);
      assertThat(response.error().path("code").asInt()).as(method).isEqualTo(-32601);
    }
  }

  @Test
  void foreignOriginIsForbidden() {
    Response response = client.send(message("server/discover", meta("2026-07-28")),
        Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover",
            "Origin", "http://evil.example.com"));

    assertThat(response.status()).isEqualTo(403);
  }

  @Test
  void getAndDeleteWithoutASessionAre405() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      URI url = server.url();
      int get = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
      int delete = http.send(HttpRequest.newBuilder(url).DELETE().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();

      assertThat(get).isEqualTo(405);
      assertThat(delete).isEqualTo(405);
    }
  }

  @Test
  void progressAndLogsStreamBeforeTheResultOnlyWhenAskedFor() {
    ObjectNode asked = Json.object().put("name", "slow_steps");
    asked.putObject("_meta").put("progressToken", "p1").put("io.modelcontextprotocol/logLevel", "info");

    Response withProgress = client.request("tools/call", asked);
    Response plain = client.callTool("slow_steps", Json.object());

    assertThat(withProgress.contentType()).startsWith("text/event-stream");
    assertThat(withProgress.notifications()).extracting(n -> n.path("method").asText())
        .containsExactly("notifications/progress", "notifications/progress", "notifications/progress",
            "notifications/message");
    assertThat(withProgress.notifications().getLast().path("params").path("level").asText()).isEqualTo("warning");
    assertThat(plain.contentType()).startsWith("application/json");
    assertThat(plain.notifications()).isEmpty();
  }

  @Test
  void invalidArgumentsAreAToolErrorNamingTheProblem() {
    ObjectNode result = client.callTool("echo", Json.object().put("text", "x").put("extra", 1)).result();

    assertThat(result.path("isError").asBoolean()).isTrue();
    assertThat(result.path("content").get(0).path("text").asText()).contains("extra");
  }

  private static ObjectNode message(String method, ObjectNode params) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", 7).put("method", method);
    message.set("params", params);
    return message;
  }

  private static ObjectNode meta(String version) {
    ObjectNode params = Json.object();
    params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", version)
        .putObject("io.modelcontextprotocol/clientCapabilities");
    return params;
  }

  private static Map<String, String> headers(String method, String version) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("MCP-Protocol-Version", version);
    headers.put("Mcp-Method", method);
    return headers;
  }

  private static ObjectNode callMessage(String tool, ObjectNode arguments) {
    ObjectNode params = meta("2026-07-28").put("name", tool);
    params.set("arguments", arguments);
    return message("tools/call", params);
  }

  private static Map<String, String> withParams(String tool, Map<String, String> params) {
    Map<String, String> headers = headers("tools/call", "2026-07-28");
    headers.put("Mcp-Name", tool);
    headers.putAll(params);
    return headers;
  }
}
