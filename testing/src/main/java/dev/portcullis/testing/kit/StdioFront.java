package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout. A request carrying the 2026 {@code _meta}
 * envelope is served statelessly; {@code initialize} opens the process's one 2025 session. Requests run on worker
 * threads, except {@code initialize}: it is answered before the next line is read, so the requests that follow it
 * always find its session. When the client closes its end of stdout, answers are dropped (said once on stderr) and the
 * front keeps serving until stdin ends, as the gateway's own stdio front does.
 */
final class StdioFront {
  private final McpFixture fixture;
  private final Set<Wire> wires;
  private final OutputStream out;
  private final Map<String, Thread> inflight = new ConcurrentHashMap<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final Map<String, Subscriptions.Listener> listens = new ConcurrentHashMap<>();
  private volatile Session session;
  /** Set once a write found the client's end closed; guarded by this front's monitor. */
  private boolean outputClosed;

  StdioFront(McpFixture fixture, Set<Wire> wires, OutputStream out) {
    this.fixture = fixture;
    this.wires = Set.copyOf(wires);
    this.out = out;
  }

  /** Serves until stdin ends. */
  void run(InputStream in) throws IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          receive(line);
        }
      }
    } finally {
      awaitInflight();
      listens.values().forEach(fixture.subscriptions()::close);
      Session current = session;
      if (current != null) {
        fixture.subscriptions().sessions.remove(current);
        current.close();
      }
    }
  }

  /** Lets requests already read finish (briefly) after stdin closed, so piped input gets its answers. */
  private void awaitInflight() {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    for (Thread worker : java.util.List.copyOf(inflight.values())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        worker.join(java.time.Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void receive(String line) {
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(line);
    } catch (Exception e) {
      write(HttpIo.error(null, new McpError(McpError.PARSE_ERROR, "Parse error: a line is not JSON")));
      return;
    }
    if (!(parsed instanceof ObjectNode message) || !"2.0".equals(message.path("jsonrpc").asText())) {
      write(HttpIo.error(null, new McpError(McpError.INVALID_REQUEST,
          "Invalid Request: each line must be one JSON-RPC 2.0 message object")));
      return;
    }
    String method = message.path("method").asText(null);
    JsonNode id = message.get("id");
    if (method == null) {
      Session current = session;
      if (current != null && (message.has("result") || message.has("error"))) {
        current.answer(message);
      }
      return;
    }
    if (id == null) {
      if (method.equals("notifications/cancelled")) {
        cancel(message.path("params").path("requestId").asText());
      }
      return;
    }
    if (method.equals("initialize")) {
      serve(message, method, id);
      return;
    }
    String key = id.asText();
    Thread worker = Thread.ofVirtual().name("mcp-stdio-" + key).unstarted(() -> serve(message, method, id));
    inflight.put(key, worker);
    worker.start();
  }

  private void cancel(String requestId) {
    if (inflight.containsKey(requestId)) {
      cancelled.add(requestId);
    }
    Subscriptions.Listener listener = listens.remove(requestId);
    if (listener != null) {
      fixture.subscriptions().close(listener);
    }
    Thread worker = inflight.get(requestId);
    if (worker != null) {
      worker.interrupt();
    }
  }

  private void serve(ObjectNode message, String method, JsonNode id) {
    String key = id.asText();
    ObjectNode params = message.get("params") instanceof ObjectNode p ? p : Json.object();
    ObjectNode answer;
    try {
      if (statelessRequest(params, method)) {
        Envelope envelope = Envelope.read(params);
        envelope.requireSupported();
        if (method.equals("subscriptions/listen")) {
          listens.put(key, fixture.subscriptions().open(id, params, fixture.catalog(), this::send));
          return;
        }
        Call call = new Call(Wire.STATELESS, envelope.protocolVersion(), method, id, params,
            envelope.clientCapabilities(), envelope.logLevel(), null, new StdioExchange(null), null);
        answer = HttpIo.result(id, fixture.dispatcher().dispatch(call));
      } else {
        answer = HttpIo.result(id, stateful(method, id, params));
      }
    } catch (McpError e) {
      answer = HttpIo.error(id, e);
    } catch (RuntimeException e) {
      answer = HttpIo.error(id, new McpError(McpError.INTERNAL_ERROR, "internal error: " + e));
    } finally {
      // Only a worker is registered; initialize, served on the reading thread, leaves another request's entry alone.
      inflight.remove(key, Thread.currentThread());
    }
    if (!cancelled.remove(key)) {
      write(answer);
    }
  }

  private boolean statelessRequest(ObjectNode params, String method) {
    if (!wires.contains(Wire.STATEFUL)) {
      return true;
    }
    if (!wires.contains(Wire.STATELESS)) {
      return false;
    }
    return Envelope.declaredVersion(params) != null
        || (session == null && !method.equals("initialize") && params.has("_meta"));
  }

  private ObjectNode stateful(String method, JsonNode id, ObjectNode params) {
    if (method.equals("initialize")) {
      synchronized (this) {
        if (session != null) {
          throw new McpError(McpError.INVALID_REQUEST, "Invalid Request: already initialized; a stdio process "
              + "holds one session");
        }
        Dispatcher.Initialized initialized = fixture.dispatcher().initialize(params);
        session = initialized.session();
        session.attachStandalone(this::send);
        fixture.subscriptions().sessions.add(session);
        return initialized.result();
      }
    }
    Session current = session;
    if (current == null) {
      if (method.equals("ping")) {
        return Json.object();
      }
      throw new McpError(McpError.INVALID_REQUEST, "Invalid Request: not initialized; send initialize first "
          + "(2025 wire) or put io.modelcontextprotocol/protocolVersion in _meta (2026 wire)");
    }
    Call call = new Call(Wire.STATEFUL, current.protocolVersion, method, id, params, current.clientCapabilities,
        null, current, new StdioExchange(current), null);
    return fixture.dispatcher().dispatch(call);
  }

  /** A notification for a standalone or listen stream; false once the client's end is closed, which ends it. */
  private boolean send(ObjectNode message) {
    return write(message);
  }

  /** A server-to-client request: fails at once when no answer can come because the client closed its end. */
  private void writeRequest(ObjectNode request) {
    if (!write(request)) {
      throw new McpError(McpError.INTERNAL_ERROR, "cannot send " + request.path("method").asText()
          + " to the client: it closed its end of stdout");
    }
  }

  /**
   * Writes one message; returns false, dropping it, once the client has closed its end. Requests already read still
   * run, and the front stops when stdin ends.
   */
  private synchronized boolean write(ObjectNode message) {
    if (outputClosed) {
      return false;
    }
    try {
      out.write(Json.write(message).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
      return true;
    } catch (IOException e) {
      outputClosed = true;
      System.err.println("stdio: the client closed stdout (" + e.getMessage() + "); answers are dropped until stdin"
          + " ends");
      return false;
    }
  }

  /** Notifications go straight to stdout; 2025-wire requests to the client too, answered on stdin. */
  private final class StdioExchange implements Exchange {
    private final Session session;

    StdioExchange(Session session) {
      this.session = session;
    }

    @Override
    public void notify(ObjectNode notification) {
      write(notification);
    }

    @Override
    public ObjectNode ask(String method, ObjectNode params) {
      if (session == null) {
        throw new McpError(McpError.INTERNAL_ERROR,
            "server-to-client requests exist only on the 2025 wire; on 2026-07-28 use an input_required reply");
      }
      return session.ask(StdioFront.this::writeRequest, method, params);
    }

    @Override
    public ObjectNode ask(String method, ObjectNode params, String preferredId) {
      if (session == null) {
        return ask(method, params);
      }
      return session.ask(StdioFront.this::writeRequest, method, params, preferredId);
    }
  }
}
