package dev.portcullis.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.catalog.Change;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.mcp.Message;
import dev.portcullis.pipeline.Authenticator;
import dev.portcullis.pipeline.ClientChannel;
import dev.portcullis.pipeline.Exchange;
import dev.portcullis.pipeline.Pipeline;
import dev.portcullis.pipeline.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The stateful 2025 wire (2025-11-25, 2025-06-18): {@code initialize} opens a protocol session bound to
 * the agent's credential; later requests name it with {@code Mcp-Session-Id}; server-to-client requests travel on the
 * POST's SSE stream and the client answers them with a POST of a JSON-RPC response.
 */
final class LegacyWire {
  private final Pipeline pipeline;
  private final Authenticator authenticator;
  private final FrontOptions options;
  private final Map<String, LegacySession> sessions;

  LegacyWire(Pipeline pipeline, Authenticator authenticator, FrontOptions options, Map<String, LegacySession> sessions) {
    this.pipeline = pipeline;
    this.authenticator = authenticator;
    this.options = options;
    this.sessions = sessions;
  }

  int size() {
    return sessions.size();
  }

  void post(Request request, Response response, Callback callback, Message message, String sessionId) throws Exception {
    if (sessionId == null) {
      if (!"initialize".equals(message.method())) {
        Responses.error(response, callback, message.id(), McpError.invalidRequest(
            "no Mcp-Session-Id: 2025 clients must call initialize first; 2026-07-28 clients must send _meta "
                + Mcp.META_PROTOCOL_VERSION + " on every request"));
        return;
      }
      initialize(request, response, callback, message);
      return;
    }
    LegacySession session = sessions.get(sessionId);
    if (session == null) {
      Responses.error(response, callback, message.id(), McpError.of(McpError.INVALID_REQUEST,
          "Session not found: Mcp-Session-Id '" + abbreviate(sessionId) + "' is unknown or expired; initialize a new session").withStatus(404));
      return;
    }
    String headerVersion = request.getHeaders().get(Mcp.HEADER_PROTOCOL_VERSION);
    if (headerVersion != null && !headerVersion.strip().equals(session.protocolVersion())) {
      Responses.error(response, callback, message.id(), McpError.invalidRequest("MCP-Protocol-Version header '" + headerVersion
          + "' does not match the version negotiated for this session (" + session.protocolVersion() + ")"));
      return;
    }
    switch (message.kind()) {
      case RESPONSE -> {
        if (!bound(request, session)) {
          Responses.error(response, callback, message.id(), notFound(sessionId));
        } else if (session.answer(message.idText(), message.raw())) {
          Responses.empty(response, callback, 202);
        } else {
          Responses.error(response, callback, message.id(), McpError.invalidRequest(
              "no server-to-client request with id '" + message.idText() + "' is waiting for an answer in this session"));
        }
      }
      case NOTIFICATION -> {
        if (!bound(request, session)) {
          Responses.error(response, callback, null, notFound(sessionId));
        } else {
          if ("notifications/cancelled".equals(message.method())) {
            session.cancel(message.params().path("requestId").asText(""));
          }
          Responses.empty(response, callback, 202);
        }
      }
      case REQUEST -> request(request, response, callback, message, session);
    }
  }

  private void initialize(Request request, Response response, Callback callback, Message message) {
    String requested = message.params().path("protocolVersion").asText("");
    String version = Mcp.LEGACY.contains(requested) ? requested : Mcp.V2025_11;
    JsonNode capabilities = message.params().get("capabilities");
    ResponseStream stream = new ResponseStream(response);
    Exchange exchange = Exchange.builder(message, Exchange.Wire.STATEFUL, version)
        .clientInfo(message.params().get("clientInfo"))
        .clientCapabilities(capabilities instanceof ObjectNode o ? o : Json.object())
        .bearer(Bearer.from(request))
        .build();
    Reply reply = pipeline.handle(exchange);
    if (reply instanceof Reply.Result && exchange.session() != null) {
      String id = exchange.session().id();
      sessions.put(id, new LegacySession(id, version, exchange.clientInfo(), exchange.clientCapabilities()));
      response.getHeaders().put(Mcp.HEADER_SESSION_ID, id);
    }
    if (reply instanceof Reply.Error e) {
      Responses.challenge(request, response, options, e.error());
    }
    finish(stream, callback, message.id(), reply);
  }

  private void request(Request request, Response response, Callback callback, Message message, LegacySession session) {
    if ("logging/setLevel".equals(message.method())) {
      session.logLevel(message.params().path("level").asText(null));
    }
    ResponseStream stream = new ResponseStream(response);
    SessionChannel channel = new SessionChannel(stream, session, request, options.askTimeout());
    Exchange exchange = Exchange.builder(message, Exchange.Wire.STATEFUL, session.protocolVersion())
        .clientInfo(session.clientInfo())
        .clientCapabilities(session.clientCapabilities())
        .bearer(Bearer.from(request))
        .sessionHint(session.id())
        .logLevel(session.logLevel())
        .channel(channel)
        .build();
    Reply reply;
    session.inFlight(message.idText(), channel::cancel);
    try {
      reply = pipeline.handle(exchange);
    } finally {
      session.done(message.idText());
    }
    if (reply instanceof Reply.Result) {
      String uri = message.params().path("uri").asText("");
      switch (message.method()) {
        case "resources/subscribe" -> session.subscriptions().add(uri);
        case "resources/unsubscribe" -> session.subscriptions().remove(uri);
        default -> { }
      }
    }
    if (reply instanceof Reply.Error e) {
      Responses.challenge(request, response, options, e.error());
    }
    finish(stream, callback, message.id(), reply);
  }

  /** JSON-RPC batches existed only in 2025-03-26, which Portcullis does not serve; every served revision forbids them. */
  void batch(Request request, Response response, Callback callback, JsonNode body) {
    Responses.error(response, callback, null, McpError.invalidRequest(
        "JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per POST"));
  }

  void get(Request request, Response response, Callback callback) throws Exception {
    String sessionId = request.getHeaders().get(Mcp.HEADER_SESSION_ID);
    if (sessionId == null) {
      response.getHeaders().put("Allow", "POST");
      Responses.error(response, callback, null, McpError.of(McpError.INVALID_REQUEST,
          "GET opens the 2025 wire's notification stream and needs an Mcp-Session-Id; 2026-07-28 clients use subscriptions/listen").withStatus(405));
      return;
    }
    LegacySession session = sessions.get(sessionId);
    if (session == null || !bound(request, session)) {
      Responses.error(response, callback, null, notFound(sessionId));
      return;
    }
    EventStream stream = new EventStream(response);
    if (!session.attach(stream)) {
      Responses.error(response, callback, null, McpError.of(McpError.INVALID_REQUEST,
          "this session already has an open GET stream; close it before opening another").withStatus(409));
      return;
    }
    stream.open();
    try {
      stream.awaitClose(options.keepAlive().toMillis());
    } finally {
      callback.succeeded();
    }
  }

  void delete(Request request, Response response, Callback callback) {
    String sessionId = request.getHeaders().get(Mcp.HEADER_SESSION_ID);
    LegacySession session = sessionId == null ? null : sessions.get(sessionId);
    if (session == null || !bound(request, session)) {
      Responses.error(response, callback, null, sessionId == null
          ? McpError.invalidRequest("DELETE needs the Mcp-Session-Id of the session to end")
          : notFound(sessionId));
      return;
    }
    sessions.remove(sessionId);
    session.close();
    pipeline.endSession(sessionId);
    Responses.empty(response, callback, 200);
  }

  void publish(Change change) {
    for (LegacySession session : sessions.values()) {
      EventStream stream = session.stream();
      if (stream == null || !stream.isOpen()) {
        continue;
      }
      if (change.kind() == Change.Kind.RESOURCE_UPDATED && !session.subscriptions().contains(change.uri().orElse(""))) {
        continue;
      }
      ObjectNode params = Json.object();
      change.uri().ifPresent(uri -> params.put("uri", uri));
      stream.send(Json.object().put("jsonrpc", "2.0").put("method", change.kind().method()).set("params", params));
    }
  }

  void closeStreams() {
    sessions.values().forEach(LegacySession::close);
  }

  /** True when the request's credential is the one the session was opened with. */
  private boolean bound(Request request, LegacySession session) {
    Authenticator.Result result = authenticator.authenticate(Optional.ofNullable(Bearer.from(request)));
    return result instanceof Authenticator.Result.Authenticated a && pipeline.sessionBelongsTo(session.id(), a.agent());
  }

  private static McpError notFound(String sessionId) {
    return McpError.of(McpError.INVALID_REQUEST, "Session not found: Mcp-Session-Id '" + abbreviate(sessionId)
        + "' is unknown, expired, or belongs to another credential; initialize a new session").withStatus(404);
  }

  private static void finish(ResponseStream stream, Callback callback, JsonNode id, Reply reply) {
    if (reply instanceof Reply.Error e && e.error().httpStatus() != 401 && e.error().httpStatus() != 403
        && !sessionGone(e.error()) && e.error().httpStatus() != 413) {
      // The 2025 wire answers JSON-RPC errors with 200; only transport-level refusals keep their status (404: the
      // session is gone, so the client must initialize again).
      StatelessWire.finish(stream, callback, id, Reply.error(e.error().withStatus(
          e.error().code() == McpError.PARSE_ERROR || e.error().code() == McpError.INVALID_REQUEST ? 400 : 200)));
      return;
    }
    StatelessWire.finish(stream, callback, id, reply);
  }

  private static boolean sessionGone(McpError error) {
    return error.httpStatus() == 404 && error.code() == McpError.INVALID_REQUEST;
  }

  private static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 24) + "...";
  }

  /** The way back to a 2025 client during one request: the POST's SSE stream, answered through the session. */
  private static final class SessionChannel implements ClientChannel {
    private final ResponseStream stream;
    private final LegacySession session;
    private final Duration defaultTimeout;
    private final Cancel cancel = new Cancel();

    SessionChannel(ResponseStream stream, LegacySession session, Request request, Duration defaultTimeout) {
      this.stream = stream;
      this.session = session;
      this.defaultTimeout = defaultTimeout;
      request.addFailureListener(failure -> cancel.fire());
    }

    void cancel() {
      cancel.fire();
    }

    @Override
    public void onCancel(Runnable action) {
      cancel.onFire(action);
    }

    @Override
    public void notify(ObjectNode notification) {
      if ("notifications/message".equals(notification.path("method").asText()) && !LogLevels.enabled(session.logLevel(),
          notification.path("params").path("level").asText("info"))) {
        return;
      }
      stream.event(notification);
    }

    @Override
    public boolean canAsk() {
      return !cancelled();
    }

    @Override
    public ObjectNode ask(String method, ObjectNode params, Duration timeout) throws InterruptedException {
      CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
      String id = session.newRequest(answer);
      ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
      request.set("params", params);
      if (!stream.event(request)) {
        session.forget(id);
        throw new IllegalStateException("the client's stream closed before it could be asked " + method);
      }
      Duration wait = timeout == null ? defaultTimeout : timeout;
      try {
        return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        session.forget(id);
        throw new IllegalStateException("the client did not answer " + method + " within " + wait.toSeconds() + " s");
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        throw new IllegalStateException("the session ended before the client answered " + method);
      }
    }

    @Override
    public boolean cancelled() {
      return cancel.fired() || stream.broken();
    }
  }

}
