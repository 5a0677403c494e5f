package dev.portcullis.front;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.mcp.McpException;
import dev.portcullis.mcp.Message;
import dev.portcullis.model.Agent;
import dev.portcullis.pipeline.ClientChannel;
import dev.portcullis.pipeline.Exchange;
import dev.portcullis.pipeline.Pipeline;
import dev.portcullis.pipeline.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Portcullis as a stdio MCP server, for desktop clients that only launch local servers: newline-delimited JSON-RPC
 * on stdin/stdout, one agent (given on the command line) for the whole process, the same pipeline as HTTP. A client
 * may speak either wire: {@code initialize} selects the 2025 wire; requests carrying {@code _meta} protocol version
 * are served statelessly.
 */
public final class StdioFront {
  private static final Logger LOG = LoggerFactory.getLogger(StdioFront.class);

  private final Pipeline pipeline;
  private final Agent agent;
  private final long maxLineBytes;
  private final OutputStream out;
  private final Map<String, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, ClientChannelImpl> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private volatile String legacyVersion;
  private volatile ObjectNode legacyCapabilities = Json.object();
  private volatile JsonNode legacyClientInfo = Json.object();
  private volatile String sessionId;
  private volatile String legacyLogLevel;
  private volatile boolean outputClosed;

  public StdioFront(Pipeline pipeline, Agent agent, long maxLineBytes, OutputStream out) {
    this.pipeline = pipeline;
    this.agent = agent;
    this.maxLineBytes = maxLineBytes;
    this.out = out;
  }

  /** Serves until stdin closes; in-flight requests finish before it returns. */
  public void serve(InputStream in) throws InterruptedException {
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String current = line;
        if (current.length() > maxLineBytes) {
          write(HttpFront.response(null, McpError.invalidRequest("message of " + current.length() + " characters exceeds the limit of "
              + maxLineBytes + " (server.limits.max_body_bytes)").toJson(), true));
          continue;
        }
        Message message;
        try {
          message = Message.of(Json.MAPPER.readTree(current));
        } catch (JsonProcessingException e) {
          write(HttpFront.response(null, McpError.parse(e.getOriginalMessage()).toJson(), true));
          continue;
        } catch (McpException e) {
          write(HttpFront.response(null, e.error().toJson(), true));
          continue;
        }
        switch (message.kind()) {
          case RESPONSE -> {
            CompletableFuture<ObjectNode> waiting = pending.remove(message.idText());
            if (waiting != null) {
              waiting.complete(message.raw());
            }
          }
          case NOTIFICATION -> {
            if ("notifications/cancelled".equals(message.method())) {
              ClientChannelImpl channel = inFlight.get(message.params().path("requestId").asText());
              if (channel != null) {
                channel.cancelled = true;
              }
            }
          }
          case REQUEST -> {
            if ("initialize".equals(message.method())) {
              // The handshake completes before the next line is read: requests that follow it rely on its session.
              serveRequest(message);
            } else {
              workers.submit(() -> serveRequest(message));
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("stdio front: reading stdin failed: {}", e.toString());
    } finally {
      workers.shutdown();
      workers.awaitTermination(30, TimeUnit.SECONDS);
      pending.values().forEach(f -> f.cancel(false));
    }
  }

  private void serveRequest(Message message) {
    String metaVersion = message.meta().path(Mcp.META_PROTOCOL_VERSION).asText(null);
    boolean modern = metaVersion != null;
    if (!modern && "logging/setLevel".equals(message.method())) {
      legacyLogLevel = message.params().path("level").asText(null);
    }
    String logLevel = modern ? message.meta().path(Mcp.META_LOG_LEVEL).asText(null) : legacyLogLevel;
    ClientChannelImpl channel = new ClientChannelImpl(!modern, modern, logLevel);
    inFlight.put(message.idText(), channel);
    try {
      Exchange.Builder builder;
      if (modern) {
        if (!Mcp.isModern(metaVersion)) {
          write(HttpFront.response(message.id(), McpError.unsupportedVersion(metaVersion).toJson(), true));
          return;
        }
        JsonNode capabilities = message.meta().get(Mcp.META_CLIENT_CAPABILITIES);
        builder = Exchange.builder(message, Exchange.Wire.STATELESS, Mcp.V2026)
            .clientInfo(message.meta().get(Mcp.META_CLIENT_INFO))
            .clientCapabilities(capabilities instanceof ObjectNode o ? o : Json.object())
            .sessionHint(message.meta().path(Mcp.META_SESSION).asText(null));
      } else {
        if ("initialize".equals(message.method())) {
          String requested = message.params().path("protocolVersion").asText("");
          legacyVersion = Mcp.LEGACY.contains(requested) ? requested : Mcp.V2025_11;
          legacyCapabilities = message.params().get("capabilities") instanceof ObjectNode o ? o : Json.object();
          legacyClientInfo = message.params().path("clientInfo");
        } else if (legacyVersion == null) {
          write(HttpFront.response(message.id(), McpError.invalidRequest("call initialize first (2025 wire), or send _meta "
              + Mcp.META_PROTOCOL_VERSION + " on every request (2026-07-28 wire)").toJson(), true));
          return;
        }
        builder = Exchange.builder(message, Exchange.Wire.STDIO, legacyVersion)
            .clientInfo(legacyClientInfo)
            .clientCapabilities(legacyCapabilities)
            .sessionHint("initialize".equals(message.method()) ? null : sessionId);
      }
      Exchange exchange = builder.preAuthenticated(agent).logLevel(logLevel).channel(channel).build();
      Reply reply = pipeline.handle(exchange);
      if ("initialize".equals(message.method()) && exchange.session() != null) {
        sessionId = exchange.session().id();
      }
      switch (reply) {
        case Reply.Result r -> write(HttpFront.response(message.id(), r.result(), false));
        case Reply.Error e -> write(HttpFront.response(message.id(), e.error().toJson(), true));
      }
    } finally {
      inFlight.remove(message.idText());
    }
  }

  /**
   * Writes one message. When the client has closed its end, the message is dropped (once logged): requests already
   * read still run to completion and are audited, and the front stops when stdin ends.
   */
  private void write(ObjectNode message) {
    byte[] bytes = Json.bytes(message);
    synchronized (out) {
      if (outputClosed) {
        return;
      }
      try {
        out.write(bytes);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        outputClosed = true;
        LOG.info("stdio front: the client closed stdout ({}); answers are dropped, calls still finish and are audited",
            e.getMessage());
      }
    }
  }

  /** Notifications and (2025 wire) server-to-client requests for one request, over the shared stdout. */
  private final class ClientChannelImpl implements ClientChannel {
    private final boolean canAsk;
    private final boolean modern;
    private final String logLevel;
    volatile boolean cancelled;

    ClientChannelImpl(boolean canAsk, boolean modern, String logLevel) {
      this.canAsk = canAsk;
      this.modern = modern;
      this.logLevel = logLevel;
    }

    @Override
    public void notify(ObjectNode notification) {
      if ("notifications/message".equals(notification.path("method").asText())
          && ((modern && logLevel == null)
              || !LogLevels.enabled(logLevel, notification.path("params").path("level").asText("info")))) {
        return;
      }
      write(notification);
    }

    @Override
    public boolean canAsk() {
      return canAsk;
    }

    @Override
    public ObjectNode ask(String method, ObjectNode params, Duration timeout) throws InterruptedException {
      String id = "pcl-" + nextId.incrementAndGet();
      CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
      pending.put(id, answer);
      ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
      request.set("params", params);
      write(request);
      try {
        return answer.get(timeout == null ? 600_000 : timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
               | java.util.concurrent.CancellationException e) {
        pending.remove(id);
        throw new IllegalStateException("the client did not answer " + method);
      }
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }
  }
}
