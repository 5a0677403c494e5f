package dev.portcullis.upstream;

import static dev.portcullis.upstream.Fixtures.callParams;
import static dev.portcullis.upstream.Fixtures.text;
import static dev.portcullis.upstream.StdioUpstreamTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upstream client against the npm reference server {@code @modelcontextprotocol/server-everything} (2025 wire),
 * over stdio and over Streamable HTTP: the same behaviour must hold on both transports.
 */
@Timeout(120)
class EverythingServerTest {
  private final List<Upstream> opened = new ArrayList<>();
  private final List<Process> servers = new ArrayList<>();

  @AfterEach
  void stopAll() {
    opened.forEach(Upstream::close);
    servers.forEach(Process::destroyForcibly);
  }

  private Upstream start(String transport, UpstreamOptions options) throws Exception {
    UpstreamConfig config;
    if (transport.equals("stdio")) {
      config = Fixtures.command("everything", List.of(NpmPeers.node(), NpmPeers.everything().toString(), "stdio"),
          Duration.ofSeconds(30));
    } else {
      int port = NpmPeers.freePort();
      servers.add(NpmPeers.everythingHttp(port));
      config = Fixtures.http("everything", URI.create("http://127.0.0.1:" + port + "/mcp"), Wire.AUTO,
          Duration.ofSeconds(30), Map.of(), Optional.empty());
    }
    Upstream upstream = Upstream.of(config, options);
    opened.add(upstream);
    upstream.start();
    return upstream;
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void fallsBackToTheLegacyWireAndCallsTools(String transport) throws Exception {
    Upstream upstream = start(transport, UpstreamOptions.defaults());

    assertThat(upstream.info().wire()).isEqualTo(Wire.STATEFUL);
    assertThat(upstream.info().protocolVersion()).isEqualTo("2025-11-25");
    assertThat(upstream.listAll("tools/list", "tools")).extracting(t -> t.path("name").asText())
        .contains("echo", "get-sum", "trigger-long-running-operation", "trigger-sampling-request",
            "trigger-elicitation-request");
    assertThat(text(upstream.request("tools/call", callParams("echo", Json.object().put("message", "hi")),
        CallContext.defaults()))).isEqualTo("Echo: hi");
    assertThat(text(upstream.request("tools/call", callParams("get-sum", Json.object().put("a", 2).put("b", 3)),
        CallContext.defaults()))).contains("5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void relaysProgressUnderTheCallersToken(String transport) throws Exception {
    Upstream upstream = start(transport, UpstreamOptions.defaults());
    List<ObjectNode> seen = new CopyOnWriteArrayList<>();
    ObjectNode params = callParams("trigger-long-running-operation", Json.object().put("duration", 0.3)
        .put("steps", 3));
    params.putObject("_meta").put("progressToken", "agent-7");

    Reply reply = upstream.request("tools/call", params, CallContext.defaults().withNotifications(seen::add));

    assertThat(text(reply)).contains("Long running operation completed");
    assertThat(seen).filteredOn(n -> n.path("method").asText().equals("notifications/progress")).hasSize(3)
        .allSatisfy(n -> assertThat(n.path("params").path("progressToken").asText()).isEqualTo("agent-7"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void routesSamplingDuringACallToThatCallsHandler(String transport) throws Exception {
    Upstream upstream = start(transport, UpstreamOptions.defaults());
    List<ObjectNode> asked = new CopyOnWriteArrayList<>();

    Reply reply = upstream.request("tools/call", callParams("trigger-sampling-request",
        Json.object().put("prompt", "say hi")), CallContext.defaults().withServerRequests(request -> {
          asked.add(request);
          ObjectNode result = Json.object().put("role", "assistant").put("model", "stub-model");
          result.putObject("content").put("type", "text").put("text", "hi from the agent's model");
          return Reply.result(result);
        }));

    assertThat(asked).singleElement().satisfies(r ->
        assertThat(r.path("method").asText()).isEqualTo("sampling/createMessage"));
    assertThat(Json.write(Fixtures.result(reply))).contains("hi from the agent's model");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void routesElicitationDuringACallToThatCallsHandler(String transport) throws Exception {
    Upstream upstream = start(transport, UpstreamOptions.defaults());

    Reply reply = upstream.request("tools/call", callParams("trigger-elicitation-request", null),
        CallContext.defaults().withServerRequests(request -> {
          ObjectNode result = Json.object().put("action", "accept");
          result.putObject("content").put("name", "Ada Lovelace").put("check", true);
          return Reply.result(result);
        }));

    assertThat(Json.write(Fixtures.result(reply))).contains("Ada Lovelace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void answersRootsListOutsideAnyCallWithTheUpstreamHandler(String transport) throws Exception {
    ObjectNode caps = UpstreamOptions.defaults().clientCapabilities().deepCopy();
    caps.putObject("roots");
    List<ObjectNode> asked = new CopyOnWriteArrayList<>();
    Upstream upstream = startWithHandler(transport, UpstreamOptions.defaults().withClientCapabilities(caps), request -> {
      asked.add(request);
      ObjectNode result = Json.object();
      result.putArray("roots").addObject().put("uri", "file:///srv/agent-workspace");
      return Reply.result(result);
    });

    waitUntil(() -> !asked.isEmpty());
    assertThat(asked.getFirst().path("method").asText()).isEqualTo("roots/list");
    waitUntil(() -> text(upstream.request("tools/call", callParams("get-roots-list", null), CallContext.defaults()))
        .contains("file:///srv/agent-workspace"));
  }

  private Upstream startWithHandler(String transport, UpstreamOptions options, ServerRequestHandler handler)
      throws Exception {
    // The handler must be in place before the server asks, which it does right after initialization.
    UpstreamConfig config;
    if (transport.equals("stdio")) {
      config = Fixtures.command("everything", List.of(NpmPeers.node(), NpmPeers.everything().toString(), "stdio"),
          Duration.ofSeconds(30));
    } else {
      int port = NpmPeers.freePort();
      servers.add(NpmPeers.everythingHttp(port));
      config = Fixtures.http("everything", URI.create("http://127.0.0.1:" + port + "/mcp"), Wire.AUTO,
          Duration.ofSeconds(30), Map.of(), Optional.empty());
    }
    Upstream upstream = Upstream.of(config, options);
    opened.add(upstream);
    upstream.setServerRequestHandler(handler);
    upstream.start();
    return upstream;
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void multiplexesConcurrentCalls(String transport) throws Exception {
    Upstream upstream = start(transport, UpstreamOptions.defaults());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String message = "m" + i;
        answers.add(threads.submit(() -> text(upstream.request("tools/call", callParams("echo",
            Json.object().put("message", message)), CallContext.defaults()))));
      }
      for (int i = 0; i < 100; i++) {
        assertThat(answers.get(i).get()).isEqualTo("Echo: m" + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "http"})
  void resourceUpdatesOutsideAnyCallReachTheListeners(String transport) throws Exception {
    Upstream upstream = start(transport, UpstreamOptions.defaults());
    List<ObjectNode> seen = new CopyOnWriteArrayList<>();
    upstream.addListener(seen::add);
    String uri = "demo://resource/dynamic/text/1";

    assertThat(upstream.request("resources/subscribe", Json.object().put("uri", uri), CallContext.defaults()))
        .isInstanceOf(Reply.Result.class);
    upstream.request("tools/call", callParams("toggle-subscriber-updates", null), CallContext.defaults());

    waitUntil(() -> seen.stream().anyMatch(n -> n.path("method").asText().equals("notifications/resources/updated")
        && n.path("params").path("uri").asText().equals(uri)));
  }

  @Test
  void holdsTheSessionOpensTheGetStreamAndDeletesTheSessionOnClose() throws Exception {
    int port = NpmPeers.freePort();
    servers.add(NpmPeers.everythingHttp(port));
    Upstream upstream = Upstream.of(Fixtures.http("everything", URI.create("http://127.0.0.1:" + port + "/mcp"),
        Wire.AUTO, Duration.ofSeconds(30), Map.of(), Optional.empty()));
    upstream.start();
    upstream.request("tools/call", callParams("echo", Json.object().put("message", "x")), CallContext.defaults());
    waitUntil(() -> java.nio.file.Files.readString(NpmPeers.log(port)).contains("Establishing new SSE stream"));

    upstream.close();

    waitUntil(() -> java.nio.file.Files.readString(NpmPeers.log(port)).contains(
        "Received session termination request"));
    assertThat(java.nio.file.Files.readString(NpmPeers.log(port)).lines()
        .filter(l -> l.startsWith("Session initialized")).count()).isEqualTo(1);
  }

  @Test
  void reinitializesTransparentlyWhenTheServerForgetsTheSession() throws Exception {
    int port = NpmPeers.freePort();
    servers.add(NpmPeers.everythingHttp(port));
    Upstream upstream = Upstream.of(Fixtures.http("everything", URI.create("http://127.0.0.1:" + port + "/mcp"),
        Wire.AUTO, Duration.ofSeconds(30), Map.of(), Optional.empty()));
    opened.add(upstream);
    upstream.start();
    List<ObjectNode> refreshes = new CopyOnWriteArrayList<>();
    upstream.addListener(refreshes::add);
    assertThat(text(upstream.request("tools/call", callParams("echo", Json.object().put("message", "before")),
        CallContext.defaults()))).isEqualTo("Echo: before");

    servers.getFirst().destroyForcibly().waitFor();
    servers.add(NpmPeers.everythingHttp(port));

    assertThat(text(upstream.request("tools/call", callParams("echo", Json.object().put("message", "after")),
        CallContext.defaults()))).isEqualTo("Echo: after");
    waitUntil(() -> !refreshes.isEmpty());
  }
}
