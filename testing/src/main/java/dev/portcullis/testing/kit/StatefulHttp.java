package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The 2025 side of the endpoint: {@code initialize} opens a session named by {@code Mcp-Session-Id}; GET opens the
 * session's standalone SSE stream; DELETE ends the session; the client answers server-to-client requests by POST.
 */
final class StatefulHttp {
  static final String SESSION_HEADER = "Mcp-Session-Id";

  private final McpFixture fixture;
  private final Set<SseStream> longStreams;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  StatefulHttp(McpFixture fixture, Set<SseStream> longStreams) {
    this.fixture = fixture;
    this.longStreams = longStreams;
  }

  void post(Request request, Response response, Callback callback, ObjectNode message) {
    String sessionId = HttpIo.header(request, SESSION_HEADER);
    String method = message.path("method").asText(null);
    JsonNode id = message.get("id");
    ObjectNode params = message.get("params") instanceof ObjectNode p ? p : Json.object();
    if ("initialize".equals(method)) {
      initialize(response, callback, sessionId, id, params);
      return;
    }
    if (sessionId == null) {
      HttpIo.json(response, callback, 400, HttpIo.error(id, new McpError(-32000,
          "Bad Request: the Mcp-Session-Id header is required; send initialize first (2025 wire) or put "
              + "io.modelcontextprotocol/protocolVersion in _meta (2026 wire)")), Map.of());
      return;
    }
    Session session = sessions.get(sessionId);
    if (session == null) {
      HttpIo.json(response, callback, 404, HttpIo.error(id, new McpError(-32001,
          "Session not found: '" + sessionId + "' was terminated or never issued; send initialize again")), Map.of());
      return;
    }
    String version = HttpIo.header(request, "MCP-Protocol-Version");
    if (version != null && !Wire.STATEFUL.versions().contains(version)) {
      HttpIo.json(response, callback, 400, HttpIo.error(id, new McpError(-32000, "Bad Request: unsupported "
          + "MCP-Protocol-Version '" + version + "'; this session speaks " + session.protocolVersion)), Map.of());
      return;
    }
    if (method == null) {
      if (message.has("result") || message.has("error")) {
        session.answer(message);
        HttpIo.empty(response, callback, 202, Map.of());
      } else {
        HttpIo.jsonError(response, callback, id, new McpError(McpError.INVALID_REQUEST,
            "Invalid Request: a message needs a method (request/notification) or result/error (response)"));
      }
      return;
    }
    if (id == null) {
      HttpIo.empty(response, callback, 202, Map.of());
      return;
    }
    HttpExchange exchange = new HttpExchange(response, session);
    Call call = new Call(Wire.STATEFUL, session.protocolVersion, method, id, params, session.clientCapabilities,
        null, session, exchange, name -> HttpIo.header(request, name));
    try {
      exchange.reply(HttpIo.result(id, fixture.dispatcher().dispatch(call)), 200, callback);
    } catch (McpError e) {
      exchange.replyError(id, e, 200, callback);
    }
  }

  void get(Request request, Response response, Callback callback) throws InterruptedException {
    Session session = sessions.get(HttpIo.header(request, SESSION_HEADER));
    if (session == null) {
      HttpIo.json(response, callback, 404, HttpIo.error(null, new McpError(-32001, "Session not found")), Map.of());
      return;
    }
    if (!HttpIo.accepts(request, "text/event-stream")) {
      HttpIo.json(response, callback, 406, HttpIo.error(null, new McpError(McpError.INVALID_REQUEST,
          "Not Acceptable: a GET stream needs Accept: text/event-stream")), Map.of());
      return;
    }
    SseStream stream = new SseStream(response, Map.of());
    if (!session.attachStandalone(stream)) {
      HttpIo.json(response, callback, 409, HttpIo.error(null, new McpError(McpError.INVALID_REQUEST,
          "Conflict: this session already has a GET stream open")), Map.of());
      return;
    }
    longStreams.add(stream);
    try {
      stream.comment("stream open");
      stream.awaitEnd();
    } finally {
      session.detachStandalone(stream);
      longStreams.remove(stream);
      stream.finish(callback);
    }
  }

  void delete(Request request, Response response, Callback callback) {
    Session session = sessions.remove(HttpIo.header(request, SESSION_HEADER));
    if (session == null) {
      HttpIo.json(response, callback, 404, HttpIo.error(null, new McpError(-32001, "Session not found")), Map.of());
      return;
    }
    fixture.subscriptions().sessions.remove(session);
    session.close();
    HttpIo.empty(response, callback, 200, Map.of());
  }

  void closeAll() {
    sessions.values().forEach(Session::close);
    sessions.clear();
  }

  private void initialize(Response response, Callback callback, String sessionId, JsonNode id, ObjectNode params) {
    if (sessionId != null) {
      HttpIo.json(response, callback, 400, HttpIo.error(id, new McpError(McpError.INVALID_REQUEST,
          "Invalid Request: initialize must not carry Mcp-Session-Id; that session is already initialized")),
          Map.of());
      return;
    }
    if (id == null) {
      HttpIo.jsonError(response, callback, null, new McpError(McpError.INVALID_REQUEST,
          "Invalid Request: initialize is a request and needs an id"));
      return;
    }
    try {
      Dispatcher.Initialized initialized = fixture.dispatcher().initialize(params);
      Session session = initialized.session();
      sessions.put(session.id, session);
      fixture.subscriptions().sessions.add(session);
      HttpIo.json(response, callback, 200, HttpIo.result(id, initialized.result()),
          Map.of(SESSION_HEADER, session.id));
    } catch (McpError e) {
      HttpIo.json(response, callback, 400, HttpIo.error(id, e), Map.of());
    }
  }
}
