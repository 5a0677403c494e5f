package dev.portcullis.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.McpTestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Change notifications: 2026 subscriptions/listen streams (acknowledged, filtered, tagged) and 2025 GET streams. */
class NotificationsTest {
  private static McpFixture.Running server;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = SampleFixture.build().startHttp(0, java.util.EnumSet.allOf(Wire.class));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    server.close();
    http.shutdownNow();
  }

  @Test
  void listenStreamIsAcknowledgedThenCarriesTaggedToolListChanges() throws Exception {
    BlockingQueue<JsonNode> events = open(listen("tools-sub", "{\"toolsListChanged\": true}"));
    JsonNode ack = next(events, "the acknowledgement");

    trigger();
    JsonNode changed = next(events, "the tools list change");

    assertThat(ack.path("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
    assertThat(ack.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asText())
        .isEqualTo("tools-sub");
    assertThat(changed.path("method").asText()).isEqualTo("notifications/tools/list_changed");
    assertThat(changed.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asText())
        .isEqualTo("tools-sub");
  }

  @Test
  void listenStreamGetsNoNotificationTypeItDidNotAskFor() throws Exception {
    BlockingQueue<JsonNode> narrow = open(listen("res-sub", "{\"resourcesListChanged\": true}"));
    BlockingQueue<JsonNode> wide = open(listen("wide-sub", "{\"toolsListChanged\": true}"));
    next(narrow, "the resources stream's acknowledgement");
    next(wide, "the tools stream's acknowledgement");

    trigger();
    JsonNode seenByWide = next(wide, "the tools list change");

    assertThat(seenByWide.path("method").asText()).isEqualTo("notifications/tools/list_changed");
    assertThat(narrow).as("the resources-only stream after a tools change").isEmpty();
  }

  @Test
  void statefulGetStreamReceivesListChangesOfTheSession() throws Exception {
    try (McpTestClient client = McpTestClient.stateful(server.url())) {
      client.initialize();
      HttpRequest get = HttpRequest.newBuilder(server.url()).GET()
          .header("Accept", "text/event-stream")
          .header("Mcp-Session-Id", client.sessionId().orElseThrow())
          .header("MCP-Protocol-Version", "2025-11-25").build();
      BlockingQueue<JsonNode> events = open(get);

      client.callTool("trigger", Json.object()).result();
      JsonNode changed = next(events, "the tools list change on the GET stream");

      assertThat(changed.path("method").asText()).isEqualTo("notifications/tools/list_changed");
    }
  }

  /** The next event of a stream; fails naming {@code what} did not arrive rather than returning null. */
  private static JsonNode next(BlockingQueue<JsonNode> events, String what) throws InterruptedException {
    JsonNode event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("%s did not arrive within 10 s", what).isNotNull();
    return event;
  }

  private static void trigger() {
    try (McpTestClient client = McpTestClient.stateless(server.url())) {
      client.callTool("trigger", Json.object()).result();
    }
  }

  private static HttpRequest listen(String id, String filter) {
    String body = """
        {"jsonrpc": "2.0", "id": "%s", "method": "subscriptions/listen", "params": {"notifications": %s,
         "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}
        """.formatted(id, filter);
    HttpRequest.Builder builder = HttpRequest.newBuilder(server.url()).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
    Map<String, String> headers = McpTestClient.standardHeaders("subscriptions/listen", Json.parseObject(body)
        .with("params"));
    headers.forEach(builder::header);
    return builder.build();
  }

  /**
   * Opens a long-lived SSE response (returns once its headers arrived, so the server has registered the stream) and
   * reads its events in the background into a queue.
   */
  private static BlockingQueue<JsonNode> open(HttpRequest request) throws Exception {
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try {
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
          String line = lines.next();
          if (line.startsWith("data:")) {
            events.add(Json.parse(line.substring(5).strip()));
          }
        }
      } catch (RuntimeException e) {
        // the stream ended with the test
      }
    });
    return events;
  }
}
