package dev.portcullis.front;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.catalog.Change;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.mcp.McpException;
import dev.portcullis.mcp.Message;
import dev.portcullis.pipeline.Authenticator;
import dev.portcullis.pipeline.Pipeline;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP endpoint over Streamable HTTP, serving both wires on one path: the stateless 2026-07-28 wire (every POST
 * stands alone) and the stateful 2025 wire ({@code initialize}, {@code Mcp-Session-Id}, GET stream, DELETE). It turns
 * each request into an {@link dev.portcullis.pipeline.Exchange} and renders the pipeline's reply; it never decides
 * anything about policy itself.
 */
public final class HttpFront extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

  private final FrontOptions options;
  private final OriginGuard origins;
  private final StatelessWire stateless;
  private final LegacyWire legacy;

  public HttpFront(Pipeline pipeline, Authenticator authenticator, FrontOptions options) {
    this.options = options;
    this.origins = new OriginGuard(options.allowedHosts(), options.allowedOrigins());
    Map<String, LegacySession> sessions = new ConcurrentHashMap<>();
    this.stateless = new StatelessWire(pipeline, options);
    this.legacy = new LegacyWire(pipeline, authenticator, options, sessions);
  }

  /** Delivers a catalog change to every open GET stream and {@code subscriptions/listen} stream that opted in. */
  public void publish(Change change) {
    stateless.publish(change);
    legacy.publish(change);
  }

  /** Number of open 2025 protocol sessions. */
  public int legacySessions() {
    return legacy.size();
  }

  /** Ends every long-lived stream (graceful shutdown). */
  public void closeStreams() {
    stateless.closeStreams();
    legacy.closeStreams();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!options.path().equals(Request.getPathInContext(request))) {
      return false;
    }
    try {
      Optional<String> refused = origins.check(request.getHeaders().get(HttpHeader.HOST), request.getHeaders().get(HttpHeader.ORIGIN));
      if (refused.isPresent()) {
        Responses.error(response, callback, null, McpError.of(McpError.INVALID_REQUEST, "Forbidden: " + refused.get()).withStatus(403));
        return true;
      }
      switch (request.getMethod()) {
        case "POST" -> post(request, response, callback);
        case "GET" -> legacy.get(request, response, callback);
        case "DELETE" -> legacy.delete(request, response, callback);
        default -> {
          response.getHeaders().put(HttpHeader.ALLOW, "POST, GET, DELETE");
          Responses.error(response, callback, null,
              McpError.of(McpError.INVALID_REQUEST, "Method " + request.getMethod() + " is not allowed on the MCP endpoint; use POST").withStatus(405));
        }
      }
    } catch (Exception | StackOverflowError e) {
      LOG.error("unexpected failure serving {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
      if (!response.isCommitted()) {
        Responses.error(response, callback, null, McpError.of(McpError.INTERNAL_ERROR, "Internal error in Portcullis; the request was not forwarded").withStatus(500));
      } else {
        callback.failed(e);
      }
    }
    return true;
  }

  private void post(Request request, Response response, Callback callback) throws Exception {
    JsonNode body;
    try {
      body = readBody(request);
    } catch (McpException e) {
      Responses.error(response, callback, null, e.error());
      return;
    }
    if (body.isArray()) {
      legacy.batch(request, response, callback, body);
      return;
    }
    Message message;
    try {
      message = Message.of(body);
    } catch (McpException e) {
      Responses.error(response, callback, body.get("id"), e.error());
      return;
    }
    String headerVersion = request.getHeaders().get(Mcp.HEADER_PROTOCOL_VERSION);
    String sessionId = request.getHeaders().get(Mcp.HEADER_SESSION_ID);
    String metaVersion = message.meta().path(Mcp.META_PROTOCOL_VERSION).asText(null);
    boolean modern = Mcp.isModern(headerVersion) || Mcp.isModern(metaVersion) || metaVersion != null;
    if (!modern && (sessionId != null || "initialize".equals(message.method()) || message.kind() == Message.Kind.RESPONSE
        || (headerVersion != null && Mcp.LEGACY.contains(headerVersion)))) {
      legacy.post(request, response, callback, message, sessionId);
    } else {
      stateless.post(request, response, callback, message);
    }
  }

  private JsonNode readBody(Request request) throws McpException, IOException {
    long declared = request.getLength();
    if (declared > options.maxBodyBytes()) {
      throw new McpException(McpError.of(McpError.INVALID_REQUEST, "Request body of " + declared + " bytes exceeds the limit of "
          + options.maxBodyBytes() + " bytes (server.limits.max_body_bytes)").withStatus(413));
    }
    HttpField type = request.getHeaders().getField(HttpHeader.CONTENT_TYPE);
    if (type != null && !type.getValue().regionMatches(true, 0, "application/json", 0, 16)) {
      throw new McpException(McpError.of(McpError.INVALID_REQUEST, "Content-Type must be application/json, got '" + type.getValue() + "'").withStatus(415));
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared >= 0) {
        // Content-Length known and within the limit: one array of exactly that size.
        bytes = new byte[(int) declared];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, read);
        }
      } else {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, options.maxBodyBytes() + 1));
      }
    }
    if (bytes.length > options.maxBodyBytes()) {
      throw new McpException(McpError.of(McpError.INVALID_REQUEST, "Request body exceeds the limit of " + options.maxBodyBytes()
          + " bytes (server.limits.max_body_bytes)").withStatus(413));
    }
    if (bytes.length == 0) {
      throw new McpException(McpError.parse("the request body is empty; send one JSON-RPC message"));
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new McpException(McpError.parse("the request body holds no JSON value"));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new McpException(McpError.parse(e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr()));
    }
  }

  static ObjectNode response(JsonNode id, ObjectNode resultOrError, boolean error) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0");
    if (id == null) {
      message.putNull("id");
    } else {
      message.set("id", id);
    }
    message.set(error ? "error" : "result", resultOrError);
    return message;
  }
}
