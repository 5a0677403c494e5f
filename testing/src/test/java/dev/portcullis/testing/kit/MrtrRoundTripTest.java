package dev.portcullis.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.McpTestClient.Response;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One MRTR-style handler on both wires: an input_required result and a retry on 2026, a real server-to-client
 * elicitation on the POST's SSE stream on 2025.
 */
class MrtrRoundTripTest {
  private static McpFixture.Running server;

  @BeforeAll
  static void start() throws Exception {
    server = SampleFixture.build().startHttp(0, EnumSet.allOf(Wire.class));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void statelessCallAsksForInputThenCompletesOnRetryWithTheAnswer() {
    try (McpTestClient client = McpTestClient.stateless(server.url()).capabilities(elicitation())) {
      ObjectNode first = client.callTool("ask_name", Json.object()).result();
      ObjectNode retry = retryParams(first, "Ada");

      ObjectNode second = client.request("tools/call", retry).result();

      assertThat(first.path("resultType").asText()).isEqualTo("input_required");
      assertThat(first.path("inputRequests").path("name").path("method").asText()).isEqualTo("elicitation/create");
      assertThat(first.path("requestState").asText()).isNotEqualTo("round-1").isNotBlank();
      assertThat(second.path("resultType").asText()).isEqualTo("complete");
      assertThat(second.path("content").get(0).path("text").asText()).isEqualTo("Hello Ada (state round-1)");
    }
  }

  @Test
  void tamperedRequestStateIsRefusedWithInvalidParams() {
    try (McpTestClient client = McpTestClient.stateless(server.url()).capabilities(elicitation())) {
      ObjectNode first = client.callTool("ask_name", Json.object()).result();
      ObjectNode retry = retryParams(first, "Ada");
      retry.put("requestState", first.path("requestState").asText() + "x");

      Response response = client.request("tools/call", retry);

      assertThat(response.error().path("code").asInt()).isEqualTo(-32602);
      assertThat(response.error().path("message").asText()).contains("integrity");
    }
  }

  @Test
  void inputResponsesThatAreNotObjectsAreInvalidParams() {
    try (McpTestClient client = McpTestClient.stateless(server.url()).capabilities(elicitation())) {
      ObjectNode params = Json.object().put("name", "ask_name");
      params.putObject("inputResponses").put("name", 12345);

      assertThat(client.request("tools/call", params).error().path("code").asInt()).isEqualTo(-32602);
    }
  }

  @Test
  void statelessCallNeedingAnUndeclaredCapabilityIs400MissingCapability() {
    try (McpTestClient client = McpTestClient.stateless(server.url())) {
      Response response = client.callTool("ask_name", Json.object());

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.error().path("code").asInt()).isEqualTo(-32021);
      assertThat(response.error().path("data").path("requiredCapabilities").has("elicitation")).isTrue();
    }
  }

  @Test
  void statefulCallSendsARealElicitationOnTheRequestStreamAndUsesTheAnswer() {
    List<ObjectNode> asked = new ArrayList<>();
    try (McpTestClient client = McpTestClient.stateful(server.url()).capabilities(elicitation())
        .onServerRequest(request -> {
          asked.add(request);
          ObjectNode result = Json.object().put("action", "accept");
          result.putObject("content").put("name", "Grace");
          return result;
        })) {
      Response response = client.callTool("ask_name", Json.object());

      assertThat(asked).singleElement().satisfies(request -> {
        assertThat(request.path("method").asText()).isEqualTo("elicitation/create");
        assertThat(request.path("params").path("message").asText()).isEqualTo("Your name?");
      });
      assertThat(response.contentType()).startsWith("text/event-stream");
      assertThat(response.result().path("content").get(0).path("text").asText())
          .isEqualTo("Hello Grace (state round-1)");
      assertThat(response.result().has("resultType")).as("2025 results carry no resultType").isFalse();
    }
  }

  @Test
  void statefulCallNeedingAnUndeclaredCapabilityFailsWithoutAskingTheClient() {
    try (McpTestClient client = McpTestClient.stateful(server.url())) {
      Response response = client.callTool("ask_name", Json.object());

      assertThat(response.error().path("code").asInt()).isEqualTo(-32021);
    }
  }

  @Test
  void statefulSessionEndsWithDeleteAndIsThen404() {
    McpTestClient client = McpTestClient.stateful(server.url());
    client.initialize();
    String session = client.sessionId().orElseThrow();
    client.close();

    try (McpTestClient other = McpTestClient.stateful(server.url())) {
      Response response = other.send(Json.parseObject("""
          {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}"""),
          java.util.Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));

      assertThat(response.status()).isEqualTo(404);
    }
  }

  private static ObjectNode elicitation() {
    ObjectNode caps = Json.object();
    caps.putObject("elicitation");
    return caps;
  }

  private static ObjectNode retryParams(ObjectNode inputRequired, String name) {
    ObjectNode params = Json.object().put("name", "ask_name");
    ObjectNode answer = params.putObject("inputResponses").putObject("name").put("action", "accept");
    answer.putObject("content").put("name", name);
    params.put("requestState", inputRequired.path("requestState").asText());
    return params;
  }
}
