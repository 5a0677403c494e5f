package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A minimal 2026-07-28 Streamable HTTP server for tests (until the testing module's fixture server lands): checks the
 * request metadata headers against the body like a conforming server, and offers tools that answer with JSON or SSE,
 * report progress, hang until the client disconnects, and return {@code input_required}; plus
 * {@code subscriptions/listen}.
 */
final class ModernHttpFixture extends HttpFixtureServer {
  final List<HttpFields> seenHeaders = new CopyOnWriteArrayList<>();
  final CountDownLatch hangDisconnected = new CountDownLatch(1);
  final AtomicInteger listens = new AtomicInteger();
  private final List<BlockingQueue<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile String requiredBearer;

  ModernHttpFixture() throws Exception {}

  private volatile String setCookie;

  void requireBearer(String token) {
    requiredBearer = token;
  }

  /** Sets this cookie on every answer, as a load balancer's affinity cookie would. */
  void setCookieOnEveryAnswer(String cookie) {
    setCookie = cookie;
  }

  /** Tells every open {@code subscriptions/listen} stream that the tools changed. */
  void changeTools() {
    listeners.forEach(q -> q.add("tools"));
  }

  /** Ends every open subscription gracefully, as a server shutting down would. */
  void endSubscriptions() {
    listeners.forEach(q -> q.add("end"));
  }

  @Override
  void handle(Request request, Response response, Callback callback) throws Exception {
    if (!request.getMethod().equals("POST")) {
      json(response, callback, 405, error(null, -32601, "only POST"));
      return;
    }
    HttpFields headers = request.getHeaders();
    seenHeaders.add(HttpFields.build(headers).asImmutable());
    if (setCookie != null) {
      response.getHeaders().add(HttpHeader.SET_COOKIE, setCookie);
    }
    if (requiredBearer != null && !("Bearer " + requiredBearer).equals(headers.get(HttpHeader.AUTHORIZATION))) {
      response.setStatus(401);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
      response.write(true, ByteBuffer.wrap("missing or wrong bearer token".getBytes(StandardCharsets.UTF_8)),
          callback);
      return;
    }
    JsonNode message = readMessage(request);
    JsonNode id = message.get("id");
    String method = message.path("method").asText();
    JsonNode params = message.path("params");
    String version = params.path("_meta").path("io.modelcontextprotocol/protocolVersion").asText(null);
    if (method.equals("initialize")) {
      json(response, callback, 404, error(id, -32601, "initialize is gone in 2026-07-28"));
      return;
    }
    if (version == null || !version.equals(headers.get("MCP-Protocol-Version"))) {
      json(response, callback, 400, error(id, -32020, "MCP-Protocol-Version does not match _meta"));
      return;
    }
    if (!method.equals(headers.get("Mcp-Method"))) {
      json(response, callback, 400, error(id, -32020, "Mcp-Method does not match the body"));
      return;
    }
    if (method.equals("tools/call") && !params.path("name").asText().equals(decode(headers.get("Mcp-Name")))) {
      json(response, callback, 400, error(id, -32020, "Mcp-Name does not match the body"));
      return;
    }
    switch (method) {
      case "server/discover" -> {
        ObjectNode result = complete();
        result.putArray("supportedVersions").add("2026-07-28");
        result.putObject("capabilities").putObject("tools").put("listChanged", true);
        result.putObject("_meta").putObject("io.modelcontextprotocol/serverInfo").put("name", "modern-fixture")
            .put("version", "1");
        json(response, callback, 200, ok(id, result));
      }
      case "tools/list" -> {
        boolean second = params.has("cursor");
        ObjectNode result = complete().put("ttlMs", 60_000).put("cacheScope", "public");
        result.set("tools", Json.MAPPER.readTree(second ? """
            [{"name": "c", "inputSchema": {"type": "object", "properties": {
               "region": {"type": "string", "x-mcp-header": "Region"}, "text": {"type": "string"}}}},
             {"name": "d", "inputSchema": {"type": "object", "properties": {
               "ratio": {"type": "number", "x-mcp-header": "Ratio"}}}}]""" : """
            [{"name": "a", "inputSchema": {"type": "object"}}, {"name": "b", "inputSchema": {"type": "object"}}]"""));
        if (!second) {
          result.put("nextCursor", "2");
        }
        json(response, callback, 200, ok(id, result));
      }
      case "tools/call" -> call(id, params, headers, response, callback);
      case "subscriptions/listen" -> listen(id, params, response, callback);
      default -> json(response, callback, 404, error(id, -32601, "Method not found: " + method));
    }
  }

  private void call(JsonNode id, JsonNode params, HttpFields headers, Response response, Callback callback)
      throws Exception {
    JsonNode args = params.path("arguments");
    switch (params.path("name").asText()) {
      case "c" -> {
        String header = decode(headers.get("Mcp-Param-Region"));
        if (!args.path("region").asText().equals(header)) {
          json(response, callback, 400, error(id, -32020, "Mcp-Param-Region does not match the body"));
          return;
        }
        json(response, callback, 200, ok(id, text("region " + header)));
      }
      case "echo" -> {
        ObjectNode result = text(args.path("text").asText());
        result.set("structuredContent", params.path("_meta"));
        json(response, callback, 200, ok(id, result));
      }
      case "progress" -> sse(response, callback, out -> {
        for (int i = 1; i <= 3; i++) {
          ObjectNode n = Json.object().put("jsonrpc", "2.0").put("method", "notifications/progress");
          n.putObject("params").put("progress", i).set("progressToken", params.path("_meta").path("progressToken"));
          event(out, n);
        }
        event(out, ok(id, text("progressed")));
      });
      case "input" -> {
        ObjectNode result = Json.object().put("resultType", "input_required").put("requestState", "opaque-1");
        result.putObject("inputRequests").putObject("name").put("method", "elicitation/create").putObject("params")
            .put("message", "who are you?");
        json(response, callback, 200, ok(id, result));
      }
      case "hang" -> sse(response, callback, out -> {
        try {
          while (true) {
            out.write(":\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(50);
          }
        } catch (IOException e) {
          hangDisconnected.countDown();
          throw e;
        }
      });
      case "hang-json" -> {
        // A JSON answer whose headers and first bytes arrive, and whose rest never does.
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
          out.write(("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[").getBytes(StandardCharsets.UTF_8));
          while (true) {
            out.write(' ');
            out.flush();
            Thread.sleep(50);
          }
        } catch (IOException e) {
          hangDisconnected.countDown();
          callback.failed(e);
        }
      }
      case "large" -> json(response, callback, 200, ok(id, text("y".repeat(args.path("bytes").asInt()))));
      case "large-sse" -> sse(response, callback, out -> event(out, ok(id, text("z".repeat(
          args.path("bytes").asInt())))));
      case "garbage-sse" -> sse(response, callback, out -> {
        out.write("data: not json at all\n\n".getBytes(StandardCharsets.UTF_8));
        event(out, ok(id, text("after garbage")));
      });
      case "boom" -> {
        response.setStatus(500);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
        response.write(true, ByteBuffer.wrap("<h1>kaboom</h1>".getBytes(StandardCharsets.UTF_8)), callback);
      }
      default -> json(response, callback, 200, error(id, -32602, "Unknown tool: " + params.path("name").asText()));
    }
  }

  private void listen(JsonNode id, JsonNode params, Response response, Callback callback) throws Exception {
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    listeners.add(queue);
    listens.incrementAndGet();
    try {
      sse(response, callback, out -> {
        ObjectNode ack = Json.object().put("jsonrpc", "2.0").put("method", "notifications/subscriptions/acknowledged");
        ObjectNode ackParams = ack.putObject("params");
        ackParams.putObject("_meta").set("io.modelcontextprotocol/subscriptionId", id);
        ackParams.set("notifications", params.path("notifications"));
        event(out, ack);
        while (true) {
          String next = queue.poll(100, TimeUnit.MILLISECONDS);
          if (next == null) {
            out.write(":\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } else if (next.equals("end")) {
            ObjectNode result = complete();
            result.putObject("_meta").set("io.modelcontextprotocol/subscriptionId", id);
            event(out, ok(id, result));
            return;
          } else {
            ObjectNode n = Json.object().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed");
            n.putObject("params").putObject("_meta").set("io.modelcontextprotocol/subscriptionId", id);
            event(out, n);
          }
        }
      });
    } finally {
      listeners.remove(queue);
    }
  }

  private static void event(OutputStream out, JsonNode message) throws IOException {
    out.write(("event: message\ndata: " + Json.write(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String decode(String header) {
    if (header != null && header.startsWith("=?base64?") && header.endsWith("?=")) {
      return new String(Base64.getDecoder().decode(header.substring(9, header.length() - 2)), StandardCharsets.UTF_8);
    }
    return header;
  }

  private static ObjectNode complete() {
    return Json.object().put("resultType", "complete");
  }

  private static ObjectNode text(String text) {
    ObjectNode result = complete();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  static Map<String, String> single(HttpFields fields) {
    Map<String, String> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    fields.forEach(f -> out.put(f.getName(), f.getValue()));
    return out;
  }
}
