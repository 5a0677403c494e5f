package dev.portcullis.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * stdio: one JSON-RPC message per line in both directions, answers matched by id, both wires on one channel. A line
 * that never comes fails the test (the timeout interrupts the blocked read) instead of hanging the build.
 */
@Timeout(30)
class StdioFramingTest {
  private OutputStream toServer;
  private BufferedReader fromServer;
  private CompletableFuture<Void> serving;

  @BeforeEach
  void start() throws IOException {
    // NIO pipes, not java.io piped streams: those fail reads once the last writing thread has ended.
    Pipe requests = Pipe.open();
    Pipe answers = Pipe.open();
    InputStream serverIn = Channels.newInputStream(requests.source());
    OutputStream serverOut = Channels.newOutputStream(answers.sink());
    toServer = Channels.newOutputStream(requests.sink());
    fromServer = new BufferedReader(new InputStreamReader(Channels.newInputStream(answers.source()),
        StandardCharsets.UTF_8));
    McpFixture fixture = SampleFixture.build();
    serving = CompletableFuture.runAsync(() -> {
      try {
        fixture.serveStdio(serverIn, serverOut, EnumSet.allOf(Wire.class));
        serverOut.close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    toServer.close();
    serving.get();
  }

  @Test
  void answersAreSingleLinesEvenWhenTextHasNewlines() throws IOException {
    send("""
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "a\\nb"},
         "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}""");

    JsonNode answer = Json.parse(fromServer.readLine());

    assertThat(answer.path("id").asInt()).isEqualTo(1);
    assertThat(answer.path("result").path("content").get(0).path("text").asText()).isEqualTo("a\nb");
  }

  @Test
  void concurrentRequestsAreAnsweredByIdAsTheyFinish() throws IOException {
    send(stateless(1, "tools/call", """
        "name": "sleep", "arguments": {"ms": 500}"""));
    send(stateless(2, "tools/call", """
        "name": "echo", "arguments": {"text": "quick"}"""));

    JsonNode first = Json.parse(fromServer.readLine());
    JsonNode second = Json.parse(fromServer.readLine());

    assertThat(first.path("id").asInt()).isEqualTo(2);
    assertThat(second.path("id").asInt()).isEqualTo(1);
  }

  @Test
  void aCancelledRequestGetsNoAnswer() throws IOException {
    send(stateless(1, "tools/call", """
        "name": "sleep", "arguments": {"ms": 60000}"""));
    send("""
        {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}""");
    send(stateless(2, "tools/call", """
        "name": "echo", "arguments": {"text": "after"}"""));

    JsonNode next = Json.parse(fromServer.readLine());

    assertThat(next.path("id").asInt()).isEqualTo(2);
  }

  @Test
  void aLineThatIsNotJsonGetsAParseErrorWithNullId() throws IOException {
    toServer.write("this is not json\n".getBytes(StandardCharsets.UTF_8));
    toServer.flush();

    JsonNode answer = Json.parse(fromServer.readLine());

    assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32700);
    assertThat(answer.get("id").isNull()).isTrue();
  }

  @Test
  void stopsWritingQuietlyOnceTheClientClosesItsEndAndServesUntilStdinEnds() throws Exception {
    fromServer.close();
    // The parse error is written on the reading thread, the echo answer on a worker: neither may break serving.
    toServer.write("this is not json\n".getBytes(StandardCharsets.UTF_8));
    send(stateless(1, "tools/call", """
        "name": "echo", "arguments": {"text": "nobody reads this"}"""));
    toServer.close();

    assertThatCode(() -> serving.get(10, TimeUnit.SECONDS)).doesNotThrowAnyException();
  }

  @Test
  void statefulSessionAsksTheClientOverStdioAndUsesTheAnswer() throws IOException {
    send("""
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
         "capabilities": {"elicitation": {}}, "clientInfo": {"name": "t", "version": "1"}}}""");
    JsonNode init = Json.parse(fromServer.readLine());
    send("""
        {"jsonrpc": "2.0", "method": "notifications/initialized"}""");
    send("""
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "ask_name", "arguments": {}}}""");

    JsonNode ask = Json.parse(fromServer.readLine());
    send("{\"jsonrpc\": \"2.0\", \"id\": \"" + ask.path("id").asText()
        + "\", \"result\": {\"action\": \"accept\", \"content\": {\"name\": \"Lin\"}}}");
    JsonNode answer = Json.parse(fromServer.readLine());

    assertThat(init.path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
    assertThat(ask.path("method").asText()).isEqualTo("elicitation/create");
    assertThat(answer.path("id").asInt()).isEqualTo(2);
    assertThat(answer.path("result").path("content").get(0).path("text").asText()).startsWith("Hello Lin");
  }

  @Test
  void listenAcknowledgesFirstAndTagsNotificationsWithTheSubscriptionId() throws IOException {
    send(stateless(9, "subscriptions/listen", """
        "notifications": {"toolsListChanged": true, "promptsListChanged": true}"""));
    JsonNode ack = Json.parse(fromServer.readLine());
    send(stateless(10, "tools/call", """
        "name": "trigger", "arguments": {}"""));

    JsonNode first = Json.parse(fromServer.readLine());
    JsonNode second = Json.parse(fromServer.readLine());
    JsonNode changed = first.has("method") ? first : second;

    assertThat(ack.path("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
    assertThat(ack.path("params").path("notifications").toString())
        .as("the sample has no prompts, so only tools are honoured").isEqualTo("{\"toolsListChanged\":true}");
    assertThat(changed.path("method").asText()).isEqualTo("notifications/tools/list_changed");
    assertThat(changed.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
        .isEqualTo(9);
  }

  private static String stateless(int id, String method, String paramsBody) {
    return "{\"jsonrpc\": \"2.0\", \"id\": " + id + ", \"method\": \"" + method + "\", \"params\": {" + paramsBody
        + ", \"_meta\": {\"io.modelcontextprotocol/protocolVersion\": \"2026-07-28\","
        + " \"io.modelcontextprotocol/clientCapabilities\": {}}}}";
  }

  private void send(String json) throws IOException {
    ObjectNode compact = Json.parseObject(json);
    toServer.write((Json.write(compact) + "\n").getBytes(StandardCharsets.UTF_8));
    toServer.flush();
  }
}
