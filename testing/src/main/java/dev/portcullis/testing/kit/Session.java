package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** One 2025-wire session: negotiated version, client capabilities, log level, subscriptions, pending client answers. */
final class Session {
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(120);

  final String id;
  final String protocolVersion;
  final ObjectNode clientCapabilities;
  final Set<String> subscribedUris = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private volatile String logLevel = "info";
  private volatile Subscriptions.Sink standalone;
  private volatile boolean closed;

  Session(String id, String protocolVersion, ObjectNode clientCapabilities) {
    this.id = id;
    this.protocolVersion = protocolVersion;
    this.clientCapabilities = clientCapabilities;
  }

  String logLevel() {
    return logLevel;
  }

  void logLevel(String level) {
    logLevel = level;
  }

  /** The stream for messages not tied to a request (the GET stream on HTTP, stdout on stdio); null when none. */
  Subscriptions.Sink standalone() {
    return standalone;
  }

  boolean attachStandalone(Subscriptions.Sink sink) {
    synchronized (this) {
      if (standalone != null && sink != null) {
        return false;
      }
      standalone = sink;
      return true;
    }
  }

  void detachStandalone(Subscriptions.Sink sink) {
    synchronized (this) {
      if (standalone == sink) {
        standalone = null;
      }
    }
  }

  /** Sends a message on the standalone stream if one is open. */
  void sendStandalone(ObjectNode message) {
    Subscriptions.Sink sink = standalone;
    if (sink != null && !sink.send(message)) {
      detachStandalone(sink);
    }
  }

  /**
   * Sends a server-to-client request through {@code sender} and waits for the client's answer; returns its result
   * or throws the client's error as an {@link McpError}.
   */
  ObjectNode ask(Consumer<ObjectNode> sender, String method, ObjectNode params) {
    return ask(sender, method, params, null);
  }

  /**
   * Like {@link #ask(Consumer, String, ObjectNode)}, naming the request {@code preferredId} when no other request of
   * this session waits under that id (MRTR input keys travel as request ids, so a gateway can keep them).
   */
  ObjectNode ask(Consumer<ObjectNode> sender, String method, ObjectNode params, String preferredId) {
    if (closed) {
      throw new McpError(McpError.INTERNAL_ERROR, "session " + id + " is closed; cannot send " + method);
    }
    CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
    String requestId = preferredId != null && pending.putIfAbsent(preferredId, answer) == null ? preferredId : null;
    if (requestId == null) {
      requestId = "srv-" + nextRequestId.getAndIncrement();
      pending.put(requestId, answer);
    }
    ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", requestId).put("method", method);
    request.set("params", params == null ? Json.object() : params);
    try {
      sender.accept(request);
      ObjectNode response = answer.get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      JsonNode error = response.get("error");
      if (error != null && error.isObject()) {
        throw new McpError(error.path("code").asInt(McpError.INTERNAL_ERROR),
            "client answered " + method + " with an error: " + error.path("message").asText(), error.get("data"));
      }
      JsonNode result = response.get("result");
      return result instanceof ObjectNode object ? object : Json.object();
    } catch (TimeoutException e) {
      throw new McpError(McpError.INTERNAL_ERROR, "client did not answer " + method + " within " + ASK_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new McpError(McpError.INTERNAL_ERROR, "interrupted while waiting for the client's " + method + " answer");
    } catch (ExecutionException e) {
      throw new McpError(McpError.INTERNAL_ERROR, "no answer to " + method + ": " + e.getCause().getMessage());
    } finally {
      pending.remove(requestId);
    }
  }

  /** Routes a JSON-RPC response the client sent; false when no request of ours has that id. */
  boolean answer(ObjectNode response) {
    CompletableFuture<ObjectNode> future = pending.get(response.path("id").asText());
    if (future == null) {
      return false;
    }
    future.complete(response);
    return true;
  }

  void close() {
    closed = true;
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("session closed")));
    pending.clear();
    Subscriptions.Sink sink = standalone;
    standalone = null;
    if (sink != null) {
      sink.close();
    }
  }

  boolean closed() {
    return closed;
  }
}
