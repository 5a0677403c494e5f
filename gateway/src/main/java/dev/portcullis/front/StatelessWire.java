package dev.portcullis.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.catalog.Change;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.HeaderValues;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.mcp.Message;
import dev.portcullis.pipeline.ClientChannel;
import dev.portcullis.pipeline.Exchange;
import dev.portcullis.pipeline.Pipeline;
import dev.portcullis.pipeline.Reply;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The 2026-07-28 wire: each POST carries its protocol version, capabilities and client info in {@code _meta}; the
 * {@code Mcp-Method}/{@code Mcp-Name} headers must agree with the body, or the request is refused before anything
 * else looks at it, because a component that authorizes on one and executes the other is a bypass.
 */
final class StatelessWire {
  private final Pipeline pipeline;
  private final FrontOptions options;
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

  StatelessWire(Pipeline pipeline, FrontOptions options) {
    this.pipeline = pipeline;
    this.options = options;
  }

  void post(Request request, Response response, Callback callback, Message message) throws Exception {
    if (message.kind() == Message.Kind.RESPONSE) {
      Responses.error(response, callback, message.id(), McpError.invalidRequest(
          "the 2026-07-28 wire has no server-to-client requests to answer; answer input requests by retrying the original request with inputResponses"));
      return;
    }
    Optional<McpError> invalid = validate(request, message);
    if (invalid.isPresent()) {
      Responses.error(response, callback, message.id(), invalid.get());
      return;
    }
    if (message.kind() == Message.Kind.NOTIFICATION) {
      Responses.empty(response, callback, 202);
      return;
    }
    ObjectNode meta = message.meta();
    ResponseStream stream = new ResponseStream(response);
    String logLevel = meta.path(Mcp.META_LOG_LEVEL).asText(null);
    RequestChannel channel = new RequestChannel(stream, request, logLevel);
    Exchange exchange = Exchange.builder(message, Exchange.Wire.STATELESS, Mcp.V2026)
        .clientInfo(meta.get(Mcp.META_CLIENT_INFO))
        .clientCapabilities((ObjectNode) meta.get(Mcp.META_CLIENT_CAPABILITIES))
        .bearer(Bearer.from(request))
        .sessionHint(meta.path(Mcp.META_SESSION).asText(null))
        .logLevel(logLevel)
        .paramHeaders(paramHeaders(request))
        .channel(channel)
        .build();
    Reply reply = pipeline.handle(exchange);
    if ("subscriptions/listen".equals(message.method()) && reply instanceof Reply.Result) {
      listen(response, callback, message);
      return;
    }
    if (reply instanceof Reply.Error e) {
      Responses.challenge(request, response, options, e.error());
    }
    finish(stream, callback, message.id(), reply);
  }

  /** The request's {@code Mcp-Param-*} headers, decoded; a malformed value maps to the empty marker "\u0000". */
  private static java.util.Map<String, String> paramHeaders(Request request) {
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    for (org.eclipse.jetty.http.HttpField field : request.getHeaders()) {
      String name = field.getLowerCaseName();
      if (name.startsWith("mcp-param-")) {
        headers.put(name, HeaderValues.decode(field.getValue()).orElse("\u0000"));
      }
    }
    return headers;
  }

  /** Checks the request against the transport's rules, in the order the spec gives them. */
  private static Optional<McpError> validate(Request request, Message message) {
    ObjectNode meta = message.meta();
    JsonNode version = meta.get(Mcp.META_PROTOCOL_VERSION);
    JsonNode capabilities = meta.get(Mcp.META_CLIENT_CAPABILITIES);
    if (message.kind() == Message.Kind.REQUEST) {
      if (version == null || !version.isTextual()) {
        return Optional.of(McpError.invalidParams("params._meta is missing '" + Mcp.META_PROTOCOL_VERSION
            + "' (required on the 2026-07-28 wire; 2025 clients must call initialize first and send Mcp-Session-Id)"));
      }
      if (capabilities == null || !capabilities.isObject()) {
        return Optional.of(McpError.invalidParams("params._meta is missing the object '" + Mcp.META_CLIENT_CAPABILITIES
            + "' (required on every 2026-07-28 request; send {} when the client has none)"));
      }
    }
    String headerVersion = request.getHeaders().get(Mcp.HEADER_PROTOCOL_VERSION);
    if (headerVersion == null) {
      return Optional.of(McpError.headerMismatch("the MCP-Protocol-Version header is required and must equal _meta "
          + Mcp.META_PROTOCOL_VERSION));
    }
    if (version != null && !headerVersion.strip().equals(version.asText())) {
      return Optional.of(McpError.headerMismatch("MCP-Protocol-Version header '" + headerVersion + "' does not match _meta "
          + Mcp.META_PROTOCOL_VERSION + " '" + version.asText() + "'"));
    }
    String requested = version == null ? headerVersion.strip() : version.asText();
    if (!Mcp.isModern(requested)) {
      return Optional.of(McpError.unsupportedVersion(requested));
    }
    String methodHeader = request.getHeaders().get(Mcp.HEADER_METHOD);
    if (methodHeader == null) {
      return Optional.of(McpError.headerMismatch("the Mcp-Method header is required and must equal the body's method '"
          + message.method() + "'"));
    }
    if (!methodHeader.strip().equals(message.method())) {
      return Optional.of(McpError.headerMismatch("Mcp-Method header '" + methodHeader + "' does not match body method '"
          + message.method() + "'"));
    }
    if (Mcp.NAMED_METHODS.contains(message.method())) {
      String field = "resources/read".equals(message.method()) ? "uri" : "name";
      JsonNode bodyName = message.params().get(field);
      String nameHeader = request.getHeaders().get(Mcp.HEADER_NAME);
      if (nameHeader == null) {
        return Optional.of(McpError.headerMismatch("the Mcp-Name header is required for " + message.method()
            + " and must equal params." + field));
      }
      Optional<String> decoded = HeaderValues.decode(nameHeader);
      if (decoded.isEmpty()) {
        return Optional.of(McpError.headerMismatch("Mcp-Name header value is malformed (invalid characters or Base64)"));
      }
      if (bodyName == null || !bodyName.isTextual() || !decoded.get().equals(bodyName.asText())) {
        return Optional.of(McpError.headerMismatch("Mcp-Name header value '" + decoded.get() + "' does not match body value '"
            + (bodyName == null ? "" : bodyName.asText()) + "' (params." + field + ")"));
      }
    }
    return Optional.empty();
  }

  private void listen(Response response, Callback callback, Message message) throws InterruptedException {
    JsonNode filter = message.params().path("notifications");
    ObjectNode accepted = Json.object();
    for (Change.Kind kind : Change.Kind.values()) {
      JsonNode wanted = filter.get(kind.filterKey());
      if (kind == Change.Kind.RESOURCE_UPDATED) {
        if (wanted != null && wanted.isArray()) {
          accepted.set(kind.filterKey(), wanted);
        }
      } else if (wanted != null && wanted.asBoolean(false)) {
        accepted.put(kind.filterKey(), true);
      }
    }
    EventStream stream = new EventStream(response);
    ObjectNode ackParams = Json.object();
    ackParams.putObject("_meta").set(Mcp.META_SUBSCRIPTION_ID, message.id());
    ackParams.set("notifications", accepted);
    stream.send(Json.object().put("jsonrpc", "2.0").put("method", "notifications/subscriptions/acknowledged").set("params", ackParams));
    Listener listener = new Listener(stream, message.id(), accepted);
    listeners.add(listener);
    try {
      stream.awaitClose(options.keepAlive().toMillis());
    } finally {
      listeners.remove(listener);
      callback.succeeded();
    }
  }

  void publish(Change change) {
    for (Listener listener : listeners) {
      if (listener.wants(change) && !listener.send(change)) {
        listeners.remove(listener);
      }
    }
  }

  void closeStreams() {
    for (Listener listener : listeners) {
      ObjectNode result = Json.object().put("resultType", "complete");
      result.putObject("_meta").set(Mcp.META_SUBSCRIPTION_ID, listener.id);
      listener.stream.send(HttpFront.response(listener.id, result, false));
      listener.stream.close();
    }
  }

  static void finish(ResponseStream stream, Callback callback, JsonNode id, Reply reply) {
    try {
      switch (reply) {
        case Reply.Result r -> stream.finish(HttpFront.response(id, r.result(), false), 200);
        case Reply.Error e -> stream.finish(HttpFront.response(id, e.error().toJson(), true), e.error().httpStatus());
      }
      callback.succeeded();
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  /** One open {@code subscriptions/listen} stream and what it opted in to. */
  private record Listener(EventStream stream, JsonNode id, ObjectNode accepted) {
    boolean wants(Change change) {
      JsonNode wanted = accepted.get(change.kind().filterKey());
      if (change.kind() == Change.Kind.RESOURCE_UPDATED) {
        if (wanted == null || change.uri().isEmpty()) {
          return false;
        }
        for (JsonNode uri : wanted) {
          if (uri.asText().equals(change.uri().get())) {
            return true;
          }
        }
        return false;
      }
      return wanted != null && wanted.asBoolean(false);
    }

    boolean send(Change change) {
      ObjectNode params = Json.object();
      params.putObject("_meta").set(Mcp.META_SUBSCRIPTION_ID, id);
      change.uri().ifPresent(uri -> params.put("uri", uri));
      return stream.send(Json.object().put("jsonrpc", "2.0").put("method", change.kind().method()).set("params", params));
    }
  }

  /** The request's own stream back to the client: notifications only (no server-to-client requests on this wire). */
  static final class RequestChannel implements ClientChannel {
    private final ResponseStream stream;
    private final String logLevel;
    private final Cancel cancel = new Cancel();

    RequestChannel(ResponseStream stream, Request request, String logLevel) {
      this.stream = stream;
      this.logLevel = logLevel;
      // On this wire closing the response stream is the cancellation signal.
      request.addFailureListener(failure -> cancel.fire());
    }

    @Override
    public void onCancel(Runnable action) {
      cancel.onFire(action);
    }

    @Override
    public void notify(ObjectNode notification) {
      // 2026-07-28: no log messages unless the request asked for them with _meta logLevel, and none below it.
      if ("notifications/message".equals(notification.path("method").asText())
          && (logLevel == null || !LogLevels.enabled(logLevel, notification.path("params").path("level").asText("info")))) {
        return;
      }
      if (!stream.event(notification) && stream.broken()) {
        cancel.fire();
      }
    }

    @Override
    public boolean canAsk() {
      return false;
    }

    @Override
    public ObjectNode ask(String method, ObjectNode params, Duration timeout) {
      throw new IllegalStateException("2026-07-28 clients receive input requests as input_required results");
    }

    @Override
    public boolean cancelled() {
      return cancel.fired() || stream.broken();
    }
  }

}
