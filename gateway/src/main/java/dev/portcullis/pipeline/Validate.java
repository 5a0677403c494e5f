package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Decision;
import dev.portcullis.schema.Violation;
import java.util.Optional;

/**
 * Checks a tool call's arguments against the tool's {@code inputSchema} (parameters it does not declare are refused)
 * and the structural limits, before any policy condition reads them. Tools the agent is not granted at all go straight
 * to the policy, so a denial never reveals a hidden tool's schema.
 */
final class Validate implements Step {
  @Override
  public Reply apply(Exchange exchange, Chain next) {
    if (!"tools/call".equals(exchange.method()) || !exchange.policy().visible(exchange.agent(), exchange.tool())) {
      // A tool the agent may not use at all is refused by the policy without revealing its schema.
      return next.proceed(exchange);
    }
    JsonNode arguments = exchange.params().get("arguments");
    if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
      return Reply.error(McpError.invalidParams("params.arguments must be an object, got " + arguments.getNodeType().name().toLowerCase()));
    }
    Optional<Violation> violation = exchange.policy().argumentValidator().validate(exchange.tool(), arguments == null || arguments.isNull() ? Json.object() : arguments);
    if (violation.isPresent()) {
      Violation v = violation.get();
      Decision.Deny deny = new Decision.Deny(ruleFor(v), v.message(), "call tools/list to read the tool's inputSchema");
      exchange.decision(deny);
      exchange.outcome(Exchange.Outcome.DENIED);
      return Reply.result(Denials.toolResult(exchange.target(), deny.ruleId(), deny.reason(), deny.hint()));
    }
    return next.proceed(exchange);
  }

  /** The check that refused the arguments, as named in denials and the audit log (docs/checks/). */
  private static String ruleFor(Violation v) {
    return switch (v.keyword()) {
      case "additionalProperties", "unevaluatedProperties" -> "undeclared-parameter";
      case "maxDepth", "maxStringLength", "maxArrayItems", "maxSize" -> "limits";
      default -> "input-schema";
    };
  }
}
