package dev.portcullis.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 2025 wire's protocol session ({@code Mcp-Session-Id}): what was negotiated at {@code initialize}, the optional
 * GET stream, the log level, resource subscriptions, and server-to-client requests waiting for the client's answer.
 */
final class LegacySession {
  private final String id;
  private final String protocolVersion;
  private final JsonNode clientInfo;
  private final ObjectNode clientCapabilities;
  private final Map<String, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
  private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
  private final Map<String, Runnable> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong();
  private volatile EventStream stream;
  private volatile String logLevel;

  LegacySession(String id, String protocolVersion, JsonNode clientInfo, ObjectNode clientCapabilities) {
    this.id = id;
    this.protocolVersion = protocolVersion;
    this.clientInfo = clientInfo;
    this.clientCapabilities = clientCapabilities;
  }

  String id() {
    return id;
  }

  String protocolVersion() {
    return protocolVersion;
  }

  JsonNode clientInfo() {
    return clientInfo;
  }

  ObjectNode clientCapabilities() {
    return clientCapabilities;
  }

  /** Registers a server-to-client request; the client's response completes the future. */
  String newRequest(CompletableFuture<ObjectNode> answer) {
    String requestId = "pcl-" + nextRequestId.incrementAndGet();
    pending.put(requestId, answer);
    return requestId;
  }

  /** Routes a client's response to the request waiting for it; false when nothing waits for that id. */
  boolean answer(String requestId, ObjectNode response) {
    CompletableFuture<ObjectNode> waiting = pending.remove(requestId);
    return waiting != null && waiting.complete(response);
  }

  void forget(String requestId) {
    pending.remove(requestId);
  }

  /** Remembers how to cancel a request the client may cancel with {@code notifications/cancelled}. */
  void inFlight(String requestId, Runnable cancel) {
    inFlight.put(requestId, cancel);
  }

  void done(String requestId) {
    inFlight.remove(requestId);
  }

  /** The client cancelled one of its requests; unknown or finished ids are ignored, as the spec asks. */
  void cancel(String requestId) {
    Runnable cancel = inFlight.remove(requestId);
    if (cancel != null) {
      cancel.run();
    }
  }

  EventStream stream() {
    return stream;
  }

  /** Attaches the GET stream; false when one is already open (the 2025 wire allows one per session here). */
  synchronized boolean attach(EventStream s) {
    if (stream != null && stream.isOpen()) {
      return false;
    }
    stream = s;
    return true;
  }

  String logLevel() {
    return logLevel;
  }

  void logLevel(String level) {
    this.logLevel = level;
  }

  Set<String> subscriptions() {
    return subscriptions;
  }

  void close() {
    EventStream s = stream;
    if (s != null) {
      s.close();
    }
    pending.values().forEach(f -> f.cancel(false));
    pending.clear();
  }
}
