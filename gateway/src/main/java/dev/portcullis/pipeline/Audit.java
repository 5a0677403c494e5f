package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEntry;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every request down (allowed, denied, failed; lists included) in the hash-chained audit log, and releases the
 * answer only once the entry is durable. If the log cannot be written, the answer is withheld: fail closed.
 */
final class Audit implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

  private final AuditLog log;

  Audit(AuditLog log) {
    this.log = log;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    Reply reply = next.proceed(exchange);
    try {
      log.appendAndWait(entry(exchange, reply));
      return reply;
    } catch (CompletionException | IllegalStateException e) {
      LOG.error("audit log write failed; withholding the answer to request {}: {}", exchange.message().idText(), e.toString());
      return Reply.error(McpError.of(McpError.INTERNAL_ERROR,
          "Portcullis could not record this request in its audit log, so the answer is withheld; try again later"));
    }
  }

  private static AuditEntry entry(Exchange exchange, Reply reply) {
    AuditEntry.Builder b = AuditEntry.builder()
        .time(exchange.receivedAt())
        .requestId(exchange.message().idText())
        .session(exchange.session() == null ? "" : exchange.session().id())
        .agent(exchange.agent() == null ? "" : exchange.agent().id())
        .actorChain(exchange.agent() == null ? List.of() : exchange.agent().actorChain())
        .clientInfo(exchange.clientInfo())
        .protocolVersion(exchange.protocolVersion())
        .method(exchange.method())
        .tool(exchange.target())
        .arguments(arguments(exchange))
        .policyVersion(exchange.policy() == null ? "" : exchange.policy().version())
        .upstreamLatency(exchange.upstreamNanos() < 0 ? Duration.ZERO : Duration.ofNanos(exchange.upstreamNanos()))
        .filtered(exchange.filtered());
    if (exchange.decision() != null) {
      b.decision(exchange.decision());
    } else if (reply instanceof Reply.Error e) {
      b.decision(AuditEntry.Verdict.REJECTED, rejectionRule(e.error()), e.error().message());
    } else {
      b.decision(AuditEntry.Verdict.ALLOW, "gateway", "answered by the gateway");
    }
    b.outcome(outcome(exchange, reply));
    switch (reply) {
      case Reply.Result r -> b.result(r.result());
      case Reply.Error e -> b.result(Json.object().set("error", e.error().toJson()));
    }
    ObjectNode extra = Json.object().put("wire", exchange.wire().label());
    if (!exchange.note().isEmpty()) {
      extra.put("note", exchange.note());
    }
    if (exchange.upstream() != null) {
      extra.put("upstream", exchange.upstream());
    }
    if (!exchange.credentialIds().isEmpty()) {
      // Which per-call tokens went upstream: a tool server's log of a jti leads back to this entry.
      exchange.credentialIds().forEach(extra.putArray("perCallJti")::add);
    }
    exchange.identity().filter(t -> t.actorChain().isEmpty() && (!t.roles().isEmpty() || !t.attributes().isEmpty()))
        .ifPresent(t -> {
          // What the agent's access token added through the policy's claim mapping (oidc.roles_claim, attributes).
          ObjectNode token = extra.putObject("fromClaims").put("issuer", t.issuer());
          t.roles().stream().sorted().forEach(token.putArray("roles")::add);
          token.set("attributes", Json.MAPPER.valueToTree(new java.util.TreeMap<>(t.attributes())));
        });
    if (exchange.outcome() == Exchange.Outcome.INPUT_REQUIRED) {
      extra.put("inputRequired", true);
    }
    return b.extra(extra).build();
  }

  private static JsonNode arguments(Exchange exchange) {
    JsonNode arguments = exchange.params().get("arguments");
    if (arguments != null) {
      return arguments;
    }
    ObjectNode params = exchange.params().deepCopy();
    params.remove("_meta");
    return params.isEmpty() ? MissingNode.getInstance() : params;
  }

  private static AuditEntry.Outcome outcome(Exchange exchange, Reply reply) {
    Exchange.Outcome outcome = exchange.outcome();
    if (outcome == null) {
      return reply instanceof Reply.Error ? AuditEntry.Outcome.NOT_FORWARDED : AuditEntry.Outcome.OK;
    }
    return switch (outcome) {
      case OK, INPUT_REQUIRED -> AuditEntry.Outcome.OK;
      case TOOL_ERROR -> AuditEntry.Outcome.TOOL_ERROR;
      case TRANSPORT_ERROR -> AuditEntry.Outcome.TRANSPORT_ERROR;
      case DENIED -> AuditEntry.Outcome.NOT_FORWARDED;
      case PROTOCOL_ERROR -> exchange.upstreamNanos() >= 0 ? AuditEntry.Outcome.TOOL_ERROR : AuditEntry.Outcome.NOT_FORWARDED;
    };
  }

  private static String rejectionRule(McpError error) {
    return switch (error.code()) {
      case McpError.UNAUTHENTICATED -> "authentication";
      case McpError.METHOD_NOT_FOUND -> "unknown-method";
      case McpError.INVALID_PARAMS -> "invalid-params";
      default -> "protocol";
    };
  }
}
