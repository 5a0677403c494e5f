package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.json.Json;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP client of one upstream, independent of the transport: negotiates the wire, shapes each request for it,
 * multiplexes calls by id, routes what the upstream sends (answers, call notifications, server-to-client requests,
 * catalog changes), and follows the transport's crashes and restarts.
 *
 * <p>Crashes and calls meet through generations. Each time the upstream becomes ready (a started or relaunched
 * process, after its handshake) it opens a new {@link Generation}; a call takes the generation it found ready and
 * registers under {@link #registry}, the lock the crash handler holds while it ends that generation. So a call
 * racing a crash either registers first and is failed with the other in-flight calls, or registers after and fails at
 * once with the same cause ("upstream ... exited with code ..., last stderr: ..."): it is never sent to the relaunched
 * process, which sees nothing but its handshake until it is ready, and never waits for its timeout. The stdio
 * transport does its part by skipping a request whose exchange already ended, and by failing a write to a process
 * that already exited with that exit's error: the handshake, which no generation owns, relies on that when its
 * relaunched process exits before the handshake is registered (see {@link StdioTransport}).
 */
final class McpUpstream implements Upstream, Transport.Inbound {
  static final Logger LOG = LoggerFactory.getLogger("dev.portcullis.upstream");

  private enum Phase { NEW, READY, DOWN, CLOSED }

  /** One ready stretch of the upstream, from its handshake to the crash or close that ends it. */
  private static final class Generation {
    final long number;
    /** Why it ended; null while it lasts. Guarded by {@link #registry}. */
    UpstreamException ended;

    Generation(long number) {
      this.number = number;
    }
  }

  private final UpstreamConfig config;
  private final UpstreamOptions options;
  private final Transport transport;
  private final String name;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<Long, Exchange> pending = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
  private final SerialQueue listenerQueue = new SerialQueue(10_000);
  private final ReentrantLock lifecycle = new ReentrantLock();
  /** Orders registering a call against ending its generation; held only for that, never while sending. */
  private final ReentrantLock registry = new ReentrantLock();
  private final Subscriptions subscriptions;
  private volatile ServerRequestHandler serverRequests = ServerRequestHandler.REFUSE;
  private volatile Phase phase = Phase.NEW;
  private volatile Generation generation;
  private volatile UpstreamException downCause;
  private volatile UpstreamInfo info;

  McpUpstream(UpstreamConfig config, UpstreamOptions options, Transport transport) {
    this.config = config;
    this.options = options;
    this.transport = transport;
    this.name = config.name();
    this.subscriptions = new Subscriptions(this);
    transport.bind(this);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() throws UpstreamException {
    lifecycle.lock();
    try {
      switch (phase) {
        case READY, DOWN -> { return; }
        case CLOSED -> throw unavailable("is closed; create a new Upstream to start it again");
        case NEW -> { }
      }
      transport.open();
      try {
        negotiate(config.wire());
      } catch (UpstreamException e) {
        close();
        throw e;
      }
      becomeReady();
      LOG.info("upstream {} ready: {} {} ({})", name, info.wire(), info.protocolVersion(),
          info.serverInfo().path("name").asText("unnamed server"));
    } finally {
      lifecycle.unlock();
    }
  }

  private void negotiate(UpstreamConfig.Wire wire) throws UpstreamException {
    Negotiation.Caller caller = new Negotiation.Caller() {
      @Override
      public Reply call(String method, ObjectNode params, String version, boolean modern, Duration timeout)
          throws UpstreamException {
        // The handshake belongs to the process being negotiated, which no generation owns yet.
        return McpUpstream.this.call(null, method, params, CallContext.defaults(), version, modern, timeout);
      }

      @Override
      public void notify(ObjectNode notification, String version) throws UpstreamException {
        transport.sendOneWay(notification, version);
      }
    };
    // A freshly (re)started process may need longer to answer its handshake than a tool call is allowed.
    Duration handshake = config.timeout().compareTo(options.probeTimeout()) < 0 ? options.probeTimeout() : config.timeout();
    info = new Negotiation(name, options, handshake, caller).run(wire);
    transport.negotiated(info);
    if (info.stateless()) {
      subscriptions.start(info);
    }
  }

  @Override
  public UpstreamInfo info() {
    UpstreamInfo current = info;
    if (current == null) {
      throw new IllegalStateException("upstream " + name + " has not been started; call start() first");
    }
    return current;
  }

  @Override
  public UpstreamState state() {
    return switch (phase) {
      case READY -> new UpstreamState.Up(info);
      case DOWN -> new UpstreamState.Restarting(downCause.getMessage(), transport.lastExit());
      case NEW -> new UpstreamState.Down("upstream " + name + " has not been started");
      case CLOSED -> new UpstreamState.Down("upstream " + name + " is closed");
    };
  }

  @Override
  public Reply request(String method, ObjectNode params, CallContext ctx) throws UpstreamException {
    Generation gen = requireReady();
    UpstreamInfo current = info;
    return call(gen, method, params, ctx, current.protocolVersion(), current.stateless(),
        ctx.timeout().orElse(config.timeout()));
  }


  /** Opens a {@code subscriptions/listen} stream; returns when it ends. */
  Reply listen(ObjectNode params, CallContext ctx) throws UpstreamException {
    Generation gen = requireReady();
    return call(gen, Mcp.LISTEN, params, ctx, info.protocolVersion(), true, null);
  }

  /**
   * The generation a call belongs to. Read before {@link #info}: should a crash and restart come in between, the call
   * is refused at registration for its ended generation rather than sent with the new process's info.
   */
  private Generation requireReady() throws UpstreamException {
    return switch (phase) {
      case READY -> generation;
      case NEW -> throw unavailable("has not been started");
      case CLOSED -> throw unavailable("is closed");
      case DOWN -> throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name,
          "upstream " + name + " is restarting (" + downCause.getMessage() + ")");
    };
  }

  /** Sends one request and waits for its answer; {@code gen} is null only for the handshake. */
  private Reply call(Generation gen, String method, ObjectNode params, CallContext ctx, String version,
      boolean modern, Duration timeout) throws UpstreamException {
    long id = ids.incrementAndGet();
    ObjectNode p = params == null ? Json.object() : params;
    JsonNode token = null;
    JsonNode metaNode = p.get(Mcp.META);
    if (modern || metaNode != null || config.isStdio()) {
      ObjectNode meta = metaNode instanceof ObjectNode m ? m.deepCopy() : Json.object();
      ObjectNode copy = Json.object();
      copy.setAll(p);
      p = copy;
      token = meta.remove("progressToken");
      if (token != null) {
        meta.put("progressToken", id);
      }
      if (modern) {
        meta.put(Mcp.PROTOCOL_VERSION, version);
        if (!meta.has(Mcp.CLIENT_CAPABILITIES)) {
          meta.set(Mcp.CLIENT_CAPABILITIES, Json.object());
        }
        if (!meta.has(Mcp.CLIENT_INFO)) {
          meta.set(Mcp.CLIENT_INFO, options.clientInfo());
        }
      } else {
        meta.remove(java.util.List.of(Mcp.PROTOCOL_VERSION, Mcp.CLIENT_CAPABILITIES, Mcp.CLIENT_INFO, Mcp.LOG_LEVEL));
      }
      if (config.isStdio()) {
        // Only the gateway puts a credential here (a client's own value never passes); HTTP sends it as a header.
        meta.remove(CallContext.CREDENTIAL_META);
        if (config.callToken() == UpstreamConfig.CallToken.META) {
          ctx.credential().ifPresent(mint -> meta.put(CallContext.CREDENTIAL_META, mint.get()));
        }
      }
      if (meta.isEmpty()) {
        p.remove(Mcp.META);
      } else {
        p.set(Mcp.META, meta);
      }
    }
    Exchange ex = new Exchange(id, method, name, ctx, token, version, modern, timeout);
    register(gen, ex);
    ex.answer().whenComplete((r, e) -> pending.remove(id));
    ex.onAbort(cause -> cancelOnWire(ex, cause));
    ctx.cancellation().onCancel(() -> ex.fail(new UpstreamException(UpstreamException.Kind.CANCELLED, name,
        "call " + method + " to upstream " + name + " was cancelled: " + ctx.cancellation().reason().orElse(""))));
    ex.startTimer();
    try {
      if (!ex.isDone()) {
        transport.send(ex, Mcp.request(id, method, p));
      }
    } catch (UpstreamException e) {
      ex.fail(e, false);
    }
    Reply reply = ex.await();
    transport.inspect(ex, reply);
    return reply;
  }

  /**
   * Adds the exchange to those in flight, or throws why its generation ended: the crash handler fails every exchange
   * registered before it ends the generation, and none can register after.
   */
  private void register(Generation gen, Exchange ex) throws UpstreamException {
    if (gen == null) {
      pending.put(ex.id, ex);
      return;
    }
    UpstreamException ended;
    registry.lock();
    try {
      ended = gen.ended;
      if (ended == null) {
        pending.put(ex.id, ex);
      }
    } finally {
      registry.unlock();
    }
    if (ended != null) {
      throw ended;
    }
  }

  /** Opens the next generation: calls from now on go to the process that just finished its handshake. */
  private void becomeReady() {
    registry.lock();
    try {
      Generation previous = generation;
      generation = new Generation(previous == null ? 1 : previous.number + 1);
      phase = Phase.READY;
    } finally {
      registry.unlock();
    }
  }

  /** Ends the current generation with {@code cause}, unless it already ended; call with {@link #registry} held. */
  private void endGeneration(UpstreamException cause) {
    Generation gen = generation;
    if (gen != null && gen.ended == null) {
      gen.ended = cause;
    }
  }

  /** Tells the upstream to stop work: {@code notifications/cancelled}, except where closing the stream says it. */
  private void cancelOnWire(Exchange ex, UpstreamException cause) {
    if (phase == Phase.CLOSED || ex.method.equals("initialize") || (ex.modern && !transport.sharedChannel())) {
      return;
    }
    ObjectNode params = Json.object().put("requestId", ex.id).put("reason", cause.getMessage());
    try {
      transport.sendOneWay(Mcp.notification(Mcp.CANCELLED, params), ex.protocolVersion);
    } catch (UpstreamException e) {
      LOG.debug("upstream {}: could not send notifications/cancelled for {}", name, ex.id, e);
    }
  }

  @Override
  public void onMessage(ObjectNode message, Exchange stream) {
    boolean async = stream == null;
    JsonNode id = message.get("id");
    JsonNode method = message.get("method");
    if (method == null) {
      Exchange ex = id != null && id.canConvertToLong() ? pending.get(id.asLong()) : null;
      if (ex == null) {
        LOG.debug("upstream {}: answer for unknown or finished request {} dropped", name, id);
      } else if (message.get("result") instanceof ObjectNode result) {
        ex.complete(new Reply.Result(result), async);
      } else if (message.get("error") instanceof ObjectNode error) {
        ex.complete(new Reply.Error(error), async);
      } else {
        ex.fail(new UpstreamException(UpstreamException.Kind.PROTOCOL, name, "upstream " + name + " answered "
            + ex.method + " with neither a result object nor an error object: "
            + Mcp.excerpt(Json.write(message), 200)));
      }
    } else if (id != null) {
      ServerRequests.handle(this, message, stream);
    } else {
      notification(message, stream, async);
    }
  }

  private void notification(ObjectNode message, Exchange stream, boolean async) {
    String method = message.path("method").asText();
    JsonNode params = message.path("params");
    if (method.equals(Mcp.PROGRESS)) {
      JsonNode token = params.get("progressToken");
      Exchange ex = token != null && token.canConvertToLong() ? pending.get(token.asLong()) : null;
      if (ex != null && ex.progressToken != null) {
        ((ObjectNode) params).set("progressToken", ex.progressToken);
        ex.notification(message, async || ex != stream);
        return;
      }
    }
    JsonNode subscription = params.path(Mcp.META).get(Mcp.SUBSCRIPTION_ID);
    if (subscription != null && subscription.canConvertToLong() && pending.get(subscription.asLong()) instanceof
        Exchange listen) {
      listen.notification(message, async || listen != stream);
    } else if (method.equals(Mcp.CANCELLED)) {
      LOG.debug("upstream {} cancelled its request {}", name, params.path("requestId"));
    } else if (stream != null && !Mcp.catalogChange(method)) {
      stream.notification(message, false);
    } else {
      fanout(message);
    }
  }

  /** The exchanges that are calls (not subscription streams), for attributing stdio server requests. */
  Iterable<Exchange> inFlight() {
    return pending.values();
  }

  ServerRequestHandler serverRequests() {
    return serverRequests;
  }

  void respond(JsonNode id, Reply reply) {
    UpstreamInfo current = info;
    try {
      transport.sendOneWay(Mcp.response(id, reply), current == null ? null : current.protocolVersion());
    } catch (UpstreamException e) {
      LOG.warn("upstream {}: could not answer its request {}: {}", name, id, e.getMessage());
    }
  }

  void fanout(ObjectNode message) {
    if (!listenerQueue.execute(() -> listeners.forEach(l -> l.accept(message)), true)
        && SerialQueue.worthLogging(listenerQueue.dropped())) {
      LOG.warn("upstream {} floods notifications faster than listeners take them; dropped {} so far (latest: {})",
          name, listenerQueue.dropped(), message.path("method").asText());
    }
  }

  /** Tells listeners to refresh what may have changed while the upstream was away. */
  void refresh(String reason, Iterable<String> features) {
    for (String feature : features) {
      ObjectNode params = Json.object();
      params.putObject(Mcp.META).put(Mcp.SYNTHETIC, reason);
      fanout(Mcp.notification("notifications/" + feature + "/list_changed", params));
    }
  }

  private Iterable<String> advertised() {
    UpstreamInfo current = info;
    return java.util.stream.Stream.of("tools", "prompts", "resources")
        .filter(f -> current != null && current.capabilities().has(f)).toList();
  }

  @Override
  public boolean onDisconnect(UpstreamException cause) {
    boolean reconnect;
    registry.lock();
    try {
      downCause = cause;
      reconnect = phase == Phase.READY || phase == Phase.DOWN;
      if (phase == Phase.READY) {
        phase = Phase.DOWN;
      }
      endGeneration(cause);
    } finally {
      registry.unlock();
    }
    pending.values().forEach(ex -> ex.fail(cause, false));
    if (phase == Phase.CLOSED) {
      LOG.debug("upstream {} stopped: {}", name, cause.getMessage());
    } else {
      LOG.warn(cause.getMessage());
    }
    return reconnect;
  }

  @Override
  public void onReconnect() throws UpstreamException {
    lifecycle.lock();
    try {
      if (phase == Phase.CLOSED) {
        return;
      }
      negotiate(info == null ? config.wire() : info.wire());
      becomeReady();
      LOG.info("upstream {} is back (generation {}): {} {}", name, generation.number, info.wire(),
          info.protocolVersion());
      refresh("upstream restarted", advertised());
    } finally {
      lifecycle.unlock();
    }
  }

  @Override
  public void renegotiate() throws UpstreamException {
    negotiate(UpstreamConfig.Wire.STATEFUL);
    LOG.info("upstream {}: session expired and was re-initialized", name);
    refresh("session re-initialized", advertised());
  }

  @Override
  public void addListener(Consumer<ObjectNode> listener) {
    listeners.add(listener);
  }

  @Override
  public void setServerRequestHandler(ServerRequestHandler handler) {
    serverRequests = java.util.Objects.requireNonNull(handler, "handler");
  }

  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (phase == Phase.CLOSED) {
        return;
      }
      phase = Phase.CLOSED;
    } finally {
      lifecycle.unlock();
    }
    subscriptions.stop();
    UpstreamException closed = unavailable("was closed");
    registry.lock();
    try {
      endGeneration(closed);
    } finally {
      registry.unlock();
    }
    pending.values().forEach(ex -> ex.fail(closed));
    transport.close();
  }

  private UpstreamException unavailable(String what) {
    return new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " " + what);
  }
}
