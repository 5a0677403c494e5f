package dev.portcullis.upstream;

import dev.portcullis.mcp.HeaderValues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Streamable HTTP to one upstream endpoint with a shared Jetty client: each request a POST whose answer is one JSON
 * object (collected whole on the client's I/O thread, see {@link AnswerListener}) or an SSE stream read incrementally
 * on the caller's thread; the configured headers and bearer secret are injected here and nowhere else. On the 2025
 * wire it also holds the {@code Mcp-Session-Id}, re-initializes once when the session expired, keeps the GET stream
 * open ({@link LegacyEventStream}) and DELETEs the session on close.
 */
final class HttpTransport implements Transport {
  static final String ACCEPT_BOTH = "application/json, text/event-stream";
  static final String SESSION_ID = "Mcp-Session-Id";
  static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
  private static final Duration STREAM_IDLE = Duration.ofMinutes(30);
  /** Built and encoded once: every POST sends it. */
  private static final HttpField ACCEPT = new PreEncodedHttpField(HttpHeader.ACCEPT, ACCEPT_BOTH);

  private final UpstreamConfig config;
  private final UpstreamOptions options;
  private final String name;
  private final URI url;
  private final ReentrantLock renewLock = new ReentrantLock();
  private Inbound inbound;
  private HttpClient client;
  private HttpFields fixed = HttpFields.EMPTY;
  private volatile String sessionId;
  private volatile String legacyVersion;
  private volatile LegacyEventStream events;
  private volatile boolean closed;
  private final ParamHeaders paramHeaders;

  HttpTransport(UpstreamConfig config, UpstreamOptions options) {
    this.config = config;
    this.options = options;
    this.name = config.name();
    this.url = config.url().orElseThrow();
    this.paramHeaders = new ParamHeaders(name);
  }

  @Override
  public void inspect(Exchange exchange, Reply reply) {
    if (exchange.modern && exchange.method.equals("tools/list") && reply instanceof Reply.Result r) {
      paramHeaders.learn(r.result());
    }
  }

  @Override
  public void bind(Inbound inbound) {
    this.inbound = inbound;
  }

  @Override
  public boolean sharedChannel() {
    return false;
  }

  @Override
  public void open() throws UpstreamException {
    client = options.httpClient().orElseGet(SharedHttpClient::get);
    HttpFields.Mutable headers = HttpFields.build();
    for (Map.Entry<String, UpstreamConfig.Value> e : config.headers().entrySet()) {
      headers.put(e.getKey(), resolve("header " + e.getKey(), e.getValue()::resolve));
    }
    if (config.bearer().isPresent()) {
      headers.put(HttpHeader.AUTHORIZATION, "Bearer " + resolve("bearer", config.bearer().get()::resolve));
    }
    fixed = headers.asImmutable();
  }

  /** {@code headers.put(name, value)} for a header Jetty does not know, without looking its name up among those. */
  static void put(HttpFields.Mutable headers, String name, String value) {
    if (value == null) {
      headers.remove(name);
    } else {
      headers.put(new HttpField((HttpHeader) null, name, value));
    }
  }

  private String resolve(String what, java.util.function.Supplier<String> value) throws UpstreamException {
    String resolved;
    try {
      resolved = value.get();
    } catch (IllegalStateException e) {
      throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " " + what + ": "
          + e.getMessage());
    }
    if (resolved.indexOf('\r') >= 0 || resolved.indexOf('\n') >= 0) {
      throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " " + what
          + " contains a line break, which cannot be sent in an HTTP header; fix the secret's value");
    }
    return resolved;
  }

  HttpClient client() {
    return client;
  }

  URI url() {
    return url;
  }

  HttpFields fixedHeaders() {
    return fixed;
  }

  String sessionId() {
    return sessionId;
  }

  String legacyVersion() {
    return legacyVersion;
  }

  Inbound inbound() {
    return inbound;
  }

  String name() {
    return name;
  }

  int maxMessageBytes() {
    return options.maxMessageBytes();
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void send(Exchange ex, ObjectNode message) throws UpstreamException {
    post(ex, message, true);
  }

  private void post(Exchange ex, ObjectNode message, boolean mayRenew) throws UpstreamException {
    String session = ex.protocolVersion == null ? null : sessionId;
    ObjectNode params = message.get("params") instanceof ObjectNode p ? p : null;
    String mcpName = ex.modern && params != null ? Mcp.nameOf(ex.method, params) : null;
    Request request = client.newRequest(url).method(HttpMethod.POST)
        .idleTimeout(ex.timeout == null ? STREAM_IDLE.toMillis() : ex.timeout.toMillis() + 5_000,
            TimeUnit.MILLISECONDS)
        .headers(h -> {
          h.add(fixed);
          h.put(ACCEPT);
          ex.ctx.credential().ifPresent(token -> credential(h, token.get()));
          if (ex.protocolVersion != null) {
            put(h, PROTOCOL_VERSION, ex.protocolVersion);
          }
          if (session != null) {
            put(h, SESSION_ID, session);
          }
          if (ex.modern) {
            put(h, "Mcp-Method", ex.method);
            if (mcpName != null) {
              put(h, "Mcp-Name", HeaderValues.encode(mcpName));
            }
            if (ex.method.equals("tools/call")) {
              paramHeaders.apply(mcpName, params.get("arguments"), (name, value) -> put(h, name, value));
            }
          }
        })
        .body(new BytesRequestContent("application/json", Json.bytes(message)));
    AnswerListener listener = new AnswerListener(options.maxMessageBytes());
    ex.onAbort(request::abort);
    request.send(listener);
    AnswerListener.Answer answer = await(ex, request, listener);
    if (answer == null) {
      return;
    }
    Response response = answer.response();
    int status = response.getStatus();
    if (status / 100 == 2) {
      if (ex.method.equals("initialize") && response.getHeaders().get(SESSION_ID) != null) {
        sessionId = response.getHeaders().get(SESSION_ID);
      }
      String type = Objects.requireNonNullElse(response.getHeaders().get(HttpHeader.CONTENT_TYPE), "")
          .toLowerCase(Locale.ROOT);
      switch (answer) {
        case AnswerListener.Answer.Stream s -> new SseResponse(this, ex, request).read(s.in());
        case AnswerListener.Answer.Whole w when type.contains("json") -> readJson(ex, w);
        case AnswerListener.Answer.Whole w -> throw protocol("answered " + ex.method + " with HTTP " + status
            + " and content type '" + type + "'; expected application/json or text/event-stream");
      }
      return;
    }
    byte[] body = answer instanceof AnswerListener.Answer.Whole w ? w.body() : new byte[0];
    JsonNode error = HttpBodies.parseQuietly(body).get("error");
    if (session != null && mayRenew && expired(status, error)) {
      renewSession(session);
      post(ex, message, false);
    } else if (error instanceof ObjectNode e) {
      ex.complete(new Reply.Error(e), false);
    } else {
      throw httpError(ex.method, status, body);
    }
  }

  /**
   * The per-call token as the upstream's {@code call_token} says: the bearer credential, or beside the upstream's own
   * secret ({@code bearer}, or an {@code Authorization} in {@code headers}), which is never replaced.
   */
  private void credential(HttpFields.Mutable headers, String token) {
    switch (config.callToken()) {
      case BEARER -> {
        if (fixed.contains(HttpHeader.AUTHORIZATION)) {
          put(headers, CallContext.CALL_TOKEN_HEADER, token);
        } else {
          headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token);
        }
      }
      case HEADER -> put(headers, CallContext.CALL_TOKEN_HEADER, token);
      case META, NONE -> { } // not an HTTP header (the config refuses meta for HTTP; none mints nothing)
    }
  }

  /** 404 is the spec's answer for an expired session; some SDK servers answer 400 naming the session instead. */
  private static boolean expired(int status, JsonNode error) {
    return status == 404 || (status == 400 && error != null
        && error.path("message").asText().toLowerCase(Locale.ROOT).contains("session"));
  }

  private AnswerListener.Answer await(Exchange ex, Request request, AnswerListener listener) throws UpstreamException {
    try {
      return listener.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request.abort(e);
      throw new UpstreamException(UpstreamException.Kind.CANCELLED, name, "call " + ex.method + " to upstream " + name
          + " was interrupted", e);
    } catch (ExecutionException e) {
      if (ex.isDone()) {
        return null;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " at " + url
          + " cannot be reached: " + cause + "; is it running, and is its 'url' right?", cause);
    }
  }

  private void readJson(Exchange ex, AnswerListener.Answer.Whole answer) throws UpstreamException {
    if (answer.oversized()) {
      throw protocol("answered " + ex.method + " with a JSON body over " + maxMessageBytes() + " bytes, the largest"
          + " message accepted from an upstream; the answer was dropped (make the tool return less, or page it)");
    }
    JsonNode node;
    try {
      if (answer.failure() != null) {
        throw new IOException(answer.failure().toString(), answer.failure());
      }
      node = Json.MAPPER.readTree(answer.body());
    } catch (IOException | RuntimeException e) {
      if (ex.isDone()) {
        return;
      }
      throw protocol("sent a body for " + ex.method + " that is not JSON: " + e.getMessage());
    }
    dispatch(ex, node);
    if (!ex.isDone() && node.get("error") instanceof ObjectNode error && node.path("id").isNull()) {
      // An error the server could not tie to our request (a parse error, say) still answers it.
      ex.complete(new Reply.Error(error), false);
    }
    if (!ex.isDone()) {
      ex.fail(protocol("answered " + ex.method + " with a JSON body that is not its response: "
          + Mcp.excerpt(Json.write(node), 200)));
    }
  }

  /** Hands one JSON body (an object, or a 2025-03-26 batch) to the router as belonging to {@code ex}'s stream. */
  void dispatch(Exchange ex, JsonNode node) {
    if (node instanceof ObjectNode message) {
      inbound.onMessage(message, ex);
    } else if (node instanceof ArrayNode batch) {
      batch.forEach(m -> dispatch(ex, m));
    } else {
      McpUpstream.LOG.warn("upstream {} sent a JSON value that is not a message; skipped: {}", name,
          Mcp.excerpt(String.valueOf(node), 200));
    }
  }

  void renewSession(String expired) throws UpstreamException {
    renewLock.lock();
    try {
      if (Objects.equals(sessionId, expired)) {
        sessionId = null;
        inbound.renegotiate();
      }
    } finally {
      renewLock.unlock();
    }
  }

  @Override
  public void sendOneWay(ObjectNode message, String protocolVersion) throws UpstreamException {
    String session = sessionId;
    Request request = client.newRequest(url).method(HttpMethod.POST).timeout(config.timeout().toMillis(),
        TimeUnit.MILLISECONDS).headers(h -> {
          h.add(fixed);
          h.put(HttpHeader.ACCEPT, ACCEPT_BOTH);
          if (protocolVersion != null) {
            h.put(PROTOCOL_VERSION, protocolVersion);
          }
          if (session != null) {
            h.put(SESSION_ID, session);
          }
        }).body(new BytesRequestContent("application/json", Json.bytes(message)));
    ContentResponse response;
    try {
      response = request.send();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(UpstreamException.Kind.CANCELLED, name, "sending to upstream " + name
          + " was interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " at " + url
          + " cannot be reached: " + (e.getCause() == null ? e : e.getCause()), e);
    }
    if (response.getStatus() / 100 != 2) {
      throw httpError(message.path("method").asText("a response"), response.getStatus(), response.getContent());
    }
  }

  @Override
  public void negotiated(UpstreamInfo info) {
    legacyVersion = info.stateless() ? null : info.protocolVersion();
    if (!info.stateless() && events == null && !closed) {
      events = new LegacyEventStream(this);
      events.start();
    }
  }

  @Override
  public void close() {
    closed = true;
    LegacyEventStream stream = events;
    if (stream != null) {
      stream.stop();
    }
    String session = sessionId;
    String version = legacyVersion;
    if (session == null || client == null) {
      return;
    }
    try {
      client.newRequest(url).method(HttpMethod.DELETE).timeout(2, TimeUnit.SECONDS).headers(h -> {
        h.add(fixed);
        h.put(SESSION_ID, session);
        if (version != null) {
          h.put(PROTOCOL_VERSION, version);
        }
      }).send();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      McpUpstream.LOG.debug("upstream {}: DELETE of the session failed", name, e);
    }
  }

  UpstreamException protocol(String what) {
    return new UpstreamException(UpstreamException.Kind.PROTOCOL, name, "upstream " + name + " " + what);
  }

  private UpstreamException httpError(String method, int status, byte[] body) {
    String hint = switch (status) {
      case 401, 403 -> "; check the 'bearer' and 'headers' configured for upstream " + name;
      case 404, 405 -> "; check the 'url' of upstream " + name + " (" + url + ")";
      default -> "";
    };
    String excerpt = Mcp.excerpt(new String(body, 0, Math.min(body.length, 600), StandardCharsets.UTF_8), 300);
    return new UpstreamException(UpstreamException.Kind.HTTP, name, "upstream " + name + " answered " + method
        + " with HTTP " + status + (excerpt.isBlank() ? "" : ": " + excerpt) + hint, status, null);
  }
}
