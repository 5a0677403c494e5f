package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A minimal 2025-11-25 Streamable HTTP server for the paths the npm reference server cannot be made to take: a
 * session that expires with 404, a response stream broken after a primed event id (resumed with GET and
 * {@code Last-Event-ID}), {@code notifications/cancelled} and DELETE. It offers no standalone GET stream (405).
 */
final class LegacyHttpFixture extends HttpFixtureServer {
  final AtomicInteger initializes = new AtomicInteger();
  final List<String> cancelled = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  final List<String> resumedFrom = new CopyOnWriteArrayList<>();
  final List<String> sessionsSeen = new CopyOnWriteArrayList<>();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, JsonNode> parked = new ConcurrentHashMap<>();

  LegacyHttpFixture() throws Exception {}

  /** Forgets every session, as a restarted server would. */
  void expireSessions() {
    live.clear();
  }

  @Override
  void handle(Request request, Response response, Callback callback) throws Exception {
    String session = request.getHeaders().get("Mcp-Session-Id");
    switch (request.getMethod()) {
      case "DELETE" -> {
        deleted.add(String.valueOf(session));
        status(response, callback, 200);
        return;
      }
      case "GET" -> {
        String last = request.getHeaders().get("Last-Event-ID");
        JsonNode answer = last == null ? null : parked.remove(last);
        if (answer == null) {
          status(response, callback, 405);
          return;
        }
        resumedFrom.add(last);
        sse(response, callback, out -> event(out, "e2", answer));
        return;
      }
      default -> { }
    }
    JsonNode message = readMessage(request);
    String method = message.path("method").asText();
    JsonNode id = message.get("id");
    if (method.equals("initialize")) {
      String fresh = "session-" + initializes.incrementAndGet();
      live.add(fresh);
      ObjectNode result = Json.object().put("protocolVersion", "2025-06-18");
      result.putObject("capabilities").putObject("tools").put("listChanged", true);
      result.putObject("serverInfo").put("name", "legacy-fixture").put("version", "1");
      response.getHeaders().put("Mcp-Session-Id", fresh);
      json(response, callback, 200, ok(id, result));
      return;
    }
    if (session == null) {
      json(response, callback, 400, error(id, -32000, "Bad Request: Server not initialized"));
      return;
    }
    if (!live.contains(session)) {
      status(response, callback, 404);
      return;
    }
    sessionsSeen.add(session + " " + request.getHeaders().get("MCP-Protocol-Version"));
    if (id == null) {
      if (method.equals("notifications/cancelled")) {
        cancelled.add(message.path("params").path("requestId").asText());
      }
      status(response, callback, 202);
      return;
    }
    JsonNode args = message.path("params").path("arguments");
    switch (message.path("params").path("name").asText()) {
      case "echo" -> json(response, callback, 200, ok(id, text(args.path("text").asText())));
      case "hang" -> sse(response, callback, out -> {
        while (true) {
          out.write(":\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(50);
        }
      });
      case "resume" -> {
        // Primes the stream with an event id, then closes the connection before answering.
        parked.put("e1", ok(id, text("resumed")));
        sse(response, callback, out -> out.write("id: e1\nretry: 10\ndata:\n\n".getBytes(StandardCharsets.UTF_8)));
      }
      default -> json(response, callback, 200, error(id, -32602, "Unknown tool"));
    }
  }

  private static void event(OutputStream out, String id, JsonNode message) throws IOException {
    out.write(("id: " + id + "\ndata: " + Json.write(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode text(String text) {
    ObjectNode result = Json.object();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }
}
