package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Streamable HTTP endpoint {@code /mcp}: guards against DNS rebinding, reads the JSON-RPC message, and hands it
 * to the 2026 (stateless) or 2025 (stateful) side according to what the client speaks and the enabled wires.
 */
final class HttpFront extends Handler.Abstract {
  static final String PATH = "/mcp";

  private final Set<Wire> wires;
  private final StatelessHttp stateless;
  private final StatefulHttp stateful;
  private final Set<SseStream> longStreams = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "mcp-sse-keepalive");
    thread.setDaemon(true);
    return thread;
  });

  HttpFront(McpFixture fixture, Set<Wire> wires) {
    this.wires = Set.copyOf(wires);
    this.stateless = new StatelessHttp(fixture, longStreams);
    this.stateful = new StatefulHttp(fixture, longStreams);
    keepAlive.scheduleWithFixedDelay(
        () -> longStreams.removeIf(stream -> !stream.comment("keep-alive")), 5, 5, TimeUnit.SECONDS);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Thread.ofVirtual().name("mcp-http").start(() -> {
      try {
        serve(request, response, callback);
      } catch (Throwable t) {
        if (response.isCommitted()) {
          callback.failed(t);
        } else {
          HttpIo.jsonError(response, callback, null,
              new McpError(McpError.INTERNAL_ERROR, "internal error: " + t, null, 500));
        }
      }
    });
    return true;
  }

  /** Ends every long-lived stream (listen and GET streams) before the server stops. */
  void shutdown() {
    longStreams.forEach(SseStream::close);
    stateful.closeAll();
    keepAlive.shutdownNow();
  }

  private void serve(Request request, Response response, Callback callback) throws Exception {
    if (!PATH.equals(Request.getPathInContext(request))) {
      HttpIo.json(response, callback, 404, Json.object().put("error", "not found: the MCP endpoint is " + PATH),
          Map.of());
      return;
    }
    String rejection = HttpIo.rebindingRejection(request);
    if (rejection != null) {
      HttpIo.json(response, callback, 403,
          HttpIo.error(null, new McpError(McpError.INVALID_REQUEST, "Forbidden: " + rejection)), Map.of());
      return;
    }
    boolean sessionHeader = request.getHeaders().get(StatefulHttp.SESSION_HEADER) != null;
    switch (request.getMethod()) {
      case "POST" -> post(request, response, callback);
      case "GET" -> {
        if (sessionHeader && wires.contains(Wire.STATEFUL)) {
          stateful.get(request, response, callback);
        } else {
          notAllowed(response, callback);
        }
      }
      case "DELETE" -> {
        if (sessionHeader && wires.contains(Wire.STATEFUL)) {
          stateful.delete(request, response, callback);
        } else {
          notAllowed(response, callback);
        }
      }
      default -> notAllowed(response, callback);
    }
  }

  private void post(Request request, Response response, Callback callback) throws Exception {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("application/json")) {
      HttpIo.json(response, callback, 415, HttpIo.error(null, new McpError(McpError.INVALID_REQUEST,
          "Unsupported Media Type: POST a JSON-RPC message with Content-Type: application/json")), Map.of());
      return;
    }
    if (!HttpIo.accepts(request, "application/json") || !HttpIo.accepts(request, "text/event-stream")) {
      HttpIo.json(response, callback, 406, HttpIo.error(null, new McpError(McpError.INVALID_REQUEST,
          "Not Acceptable: the Accept header must list both application/json and text/event-stream")), Map.of());
      return;
    }
    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      HttpIo.jsonError(response, callback, null, new McpError(McpError.PARSE_ERROR, "Parse error: body is not JSON"));
      return;
    }
    if (!(parsed instanceof ObjectNode message) || !"2.0".equals(message.path("jsonrpc").asText())) {
      HttpIo.jsonError(response, callback, null, new McpError(McpError.INVALID_REQUEST,
          "Invalid Request: the body must be one JSON-RPC 2.0 message object (batches are not supported)"));
      return;
    }
    if (chooseWire(request, message) == Wire.STATELESS) {
      stateless.post(request, response, callback, message);
    } else {
      stateful.post(request, response, callback, message);
    }
  }

  /** Which wire a POST speaks: 2026 when it carries the per-request _meta version, 2025 for sessions and initialize. */
  private Wire chooseWire(Request request, ObjectNode message) {
    if (wires.size() == 1) {
      return wires.iterator().next();
    }
    ObjectNode params = message.get("params") instanceof ObjectNode p ? p : null;
    if (Envelope.declaredVersion(params) != null) {
      return Wire.STATELESS;
    }
    String version = HttpIo.header(request, "MCP-Protocol-Version");
    boolean legacyVersion = version != null && Wire.STATEFUL.versions().contains(version);
    if (request.getHeaders().get(StatefulHttp.SESSION_HEADER) != null || legacyVersion
        || "initialize".equals(message.path("method").asText())) {
      return Wire.STATEFUL;
    }
    if (version != null || (params != null && params.has("_meta"))) {
      return Wire.STATELESS;
    }
    return Wire.STATEFUL;
  }

  private static void notAllowed(Response response, Callback callback) {
    HttpIo.json(response, callback, 405, HttpIo.error(null, new McpError(McpError.INVALID_REQUEST,
        "Method Not Allowed: send JSON-RPC messages with POST (GET and DELETE need an Mcp-Session-Id of the "
            + "2025 wire)")), Map.of("Allow", "POST"));
  }
}
