package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.upstream.CallContext;
import dev.portcullis.upstream.Cancellation;
import dev.portcullis.upstream.Upstream;
import dev.portcullis.upstream.UpstreamException;
import java.util.Iterator;
import java.util.Map;

/**
 * Sends the request to its upstream under the upstream's own names, and bridges the two wires: a 2025 client answers
 * a 2026 upstream's {@code input_required} result through server-to-client requests on its stream; a 2026 client
 * receives a 2025 upstream's mid-call request as an {@code input_required} result (see {@link ParkedCalls}). Failures
 * of the upstream become specific errors; the gateway keeps serving.
 */
final class Forward implements Step {
  private static final int MAX_ROUNDS = 8;

  private final Upstreams upstreams;
  private final ParkedCalls parked;

  Forward(Upstreams upstreams, ParkedCalls parked) {
    this.upstreams = upstreams;
    this.parked = parked;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    ObjectNode params = upstreamParams(exchange);
    long start = System.nanoTime();
    try {
      Upstream upstream = upstreams.forClient(exchange.upstream(), exchange.clientCapabilities()).orElse(null);
      if (upstream == null) {
        return transportError(exchange, "no upstream named '" + exchange.upstream() + "' is running");
      }
      if (upstream.info().stateless() && exchange.method().startsWith("resources/") && exchange.method().endsWith("subscribe")) {
        // A 2026 upstream has no resources/subscribe; the gateway keeps the 2025 client's subscription itself.
        exchange.note("subscription kept by the gateway; the upstream speaks " + upstream.info().protocolVersion());
        return Reply.result(Json.object());
      }
      if (parked.owns(params)) {
        return parked.resume(exchange, params);
      }
      if (exchange.wire() == Exchange.Wire.STATELESS && ParkedCalls.supports(exchange.method()) && !upstream.info().stateless()) {
        return parked.start(exchange, upstream, params);
      }
      if (upstream.info().stateless() && exchange.wire() != Exchange.Wire.STATELESS && params.get("_meta") instanceof ObjectNode meta) {
        // A 2025 client gets log messages unless it lowered the level; a 2026 upstream sends them only when asked.
        meta.put(Mcp.META_LOG_LEVEL, exchange.logLevel().orElse("debug"));
      }
      return relay(exchange, upstream, params);
    } catch (UpstreamException e) {
      return transportError(exchange, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return transportError(exchange, "interrupted while waiting for upstream " + exchange.upstream());
    } finally {
      exchange.upstreamNanos(System.nanoTime() - start);
    }
  }

  /** Calls the upstream, answering its input requests through the client's stream when the client can be asked. */
  private Reply relay(Exchange exchange, Upstream upstream, ObjectNode params) throws UpstreamException, InterruptedException {
    Cancellation cancellation = new Cancellation();
    exchange.channel().onCancel(() -> cancellation.cancel("the agent cancelled the request"));
    CallContext context = context(exchange, cancellation);
    for (int round = 0; ; round++) {
      dev.portcullis.upstream.Reply reply = upstream.request(exchange.method(), params, context);
      ObjectNode result = reply instanceof dev.portcullis.upstream.Reply.Result r ? r.result() : null;
      if (result == null || !"input_required".equals(result.path("resultType").asText()) || !exchange.channel().canAsk()) {
        return toPipeline(exchange, reply);
      }
      if (round >= MAX_ROUNDS) {
        return transportError(exchange, "upstream " + exchange.upstream() + " asked for input more than " + MAX_ROUNDS + " times");
      }
      ObjectNode responses = Json.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = result.path("inputRequests").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> request = it.next();
        ObjectNode answer = exchange.channel().ask(request.getValue().path("method").asText(),
            request.getValue().path("params") instanceof ObjectNode p ? p : Json.object(), null);
        if (answer.has("error")) {
          return Reply.error(McpError.fromJson(answer.get("error")));
        }
        responses.set(request.getKey(), answer.path("result"));
      }
      ObjectNode nextRound = Json.object();
      nextRound.setAll(params);
      params = nextRound;
      params.set("inputResponses", responses);
      if (result.has("requestState")) {
        params.set("requestState", result.get("requestState"));
      } else {
        params.remove("requestState");
      }
    }
  }

  static CallContext context(Exchange exchange, Cancellation cancellation) {
    return CallContext.defaults()
        .withNotifications(exchange.channel()::notify)
        .withServerRequests(request -> {
          String missing = ParkedCalls.missingCapability(exchange, request.path("method").asText());
          if (missing != null) {
            return dev.portcullis.upstream.Reply.error(McpError.METHOD_NOT_FOUND, "the agent's client did not declare the '"
                + missing + "' capability, so Portcullis cannot relay " + request.path("method").asText());
          }
          if (!exchange.channel().canAsk()) {
            return dev.portcullis.upstream.Reply.error(McpError.METHOD_NOT_FOUND,
                "the agent's client cannot answer " + request.path("method").asText());
          }
          try {
            ObjectNode answer = exchange.channel().ask(request.path("method").asText(),
                request.path("params") instanceof ObjectNode p ? p : Json.object(), null);
            return answer.has("error") ? new dev.portcullis.upstream.Reply.Error((ObjectNode) answer.get("error"))
                : dev.portcullis.upstream.Reply.result(answer.path("result") instanceof ObjectNode r ? r : Json.object());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return dev.portcullis.upstream.Reply.error(McpError.INTERNAL_ERROR, "interrupted");
          } catch (IllegalStateException e) {
            return dev.portcullis.upstream.Reply.error(McpError.INTERNAL_ERROR, e.getMessage());
          }
        })
        .withCancellation(cancellation)
        .withCredential(exchange.credential());
  }

  /**
   * The request as the upstream must see it: its own names, no Portcullis {@code _meta}. A shallow copy: the fields
   * changed here are replaced in the copy, the rest (the arguments above all) is shared with the agent's request and
   * must not be changed downstream.
   */
  private static ObjectNode upstreamParams(Exchange exchange) {
    ObjectNode params = Json.object();
    params.setAll(exchange.params());
    switch (exchange.method()) {
      case "tools/call", "prompts/get" -> params.put("name", exchange.upstreamTarget());
      case "completion/complete" -> {
        if (params.path("ref") instanceof ObjectNode ref && "ref/prompt".equals(ref.path("type").asText())) {
          params.set("ref", ref.deepCopy().put("name", exchange.upstreamTarget()));
        }
      }
      default -> { }
    }
    ObjectNode meta = Json.object();
    if (params.get("_meta") instanceof ObjectNode agentMeta) {
      meta.setAll(agentMeta);
      meta.remove(Mcp.META_SESSION);
    }
    meta.set(Mcp.META_CLIENT_CAPABILITIES, exchange.clientCapabilities());
    params.set("_meta", meta);
    return params;
  }

  /** The upstream's answer, as the agent's wire needs it. */
  static Reply toPipeline(Exchange exchange, dev.portcullis.upstream.Reply reply) {
    return switch (reply) {
      case dev.portcullis.upstream.Reply.Result r -> {
        ObjectNode result = r.result();
        if (exchange.wire() == Exchange.Wire.STATELESS) {
          if (!result.has("resultType")) {
            result.put("resultType", "complete");
          }
          if ("resources/read".equals(exchange.method()) && !result.has("ttlMs")) {
            result.put("ttlMs", 0);
            result.put("cacheScope", "private");
          }
        }
        yield Reply.result(result);
      }
      case dev.portcullis.upstream.Reply.Error e -> Reply.error(McpError.fromJson(e.error()));
    };
  }

  static Reply transportError(Exchange exchange, String message) {
    exchange.outcome(Exchange.Outcome.TRANSPORT_ERROR);
    exchange.note(message);
    if ("tools/call".equals(exchange.method())) {
      ObjectNode result = Json.object();
      result.putArray("content").addObject().put("type", "text").put("text", "Tool '" + exchange.target()
          + "' failed in transport, not in the tool: " + message + ". The call may not have run; retry later or report it.");
      result.put("isError", true);
      result.putObject("_meta").putObject(Mcp.META_PREFIX + "transportError").put("upstream", exchange.upstream()).put("message", message);
      if (exchange.wire() == Exchange.Wire.STATELESS) {
        result.put("resultType", "complete");
      }
      return Reply.result(result);
    }
    return Reply.error(McpError.of(McpError.UPSTREAM_FAILED, "Upstream '" + exchange.upstream() + "' failed: " + message));
  }
}
