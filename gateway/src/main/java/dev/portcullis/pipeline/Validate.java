package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpError;
import dev.portcullis.upstream.ParamHeaders;
import dev.portcullis.model.Decision;
import dev.portcullis.schema.Violation;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a tool call's arguments against the tool's {@code inputSchema} (parameters it does not declare are refused)
 * and the structural limits, before any policy condition reads them. Tools the agent is not granted at all go straight
 * to the policy, so a denial never reveals a hidden tool's schema.
 */
final class Validate implements Step {
  @Override
  public Reply apply(Exchange exchange, Chain next) {
    if ("tools/call".equals(exchange.method()) && exchange.wire() == Exchange.Wire.STATELESS) {
      Optional<McpError> mismatch = paramHeaderMismatch(exchange);
      if (mismatch.isPresent()) {
        return Reply.error(mismatch.get());
      }
    }
    if (!"tools/call".equals(exchange.method()) || !exchange.policy().visible(exchange.agent(), exchange.tool())) {
      // A tool the agent may not use at all is refused by the policy without revealing its schema.
      return next.proceed(exchange);
    }
    JsonNode arguments = exchange.params().get("arguments");
    if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
      return Reply.error(McpError.invalidParams("params.arguments must be an object, got " + arguments.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    Optional<Violation> violation = exchange.policy().argumentValidator().validate(exchange.tool(), arguments == null || arguments.isNull() ? Json.object() : arguments);
    if (violation.isPresent()) {
      Violation v = violation.get();
      Decision.Deny deny = new Decision.Deny(ruleFor(v), v.message(), "Call tools/list to read the tool's inputSchema");
      exchange.decision(deny);
      exchange.outcome(Exchange.Outcome.DENIED);
      return Reply.result(Denials.toolResult(exchange.target(), deny.ruleId(), deny.reason(), deny.hint()));
    }
    return next.proceed(exchange);
  }

  /**
   * The 2026 wire mirrors arguments marked {@code x-mcp-header} into {@code Mcp-Param-*} headers; a component that
   * routes on the header must see the value the tool will execute with, so they must agree (numbers numerically).
   */
  private static Optional<McpError> paramHeaderMismatch(Exchange exchange) {
    JsonNode arguments = exchange.params().path("arguments");
    for (var expected : ParamHeaders.expected(exchange.tool().inputSchema(), arguments).entrySet()) {
      String header = exchange.paramHeaders().get(expected.getKey());
      String value = expected.getValue();
      if ("\u0000".equals(header)) {
        return Optional.of(McpError.headerMismatch(expected.getKey() + " header value is malformed (invalid characters or Base64)"));
      }
      if (value == null && header != null) {
        return Optional.of(McpError.headerMismatch(expected.getKey() + " header is present but the argument it mirrors is absent"));
      }
      if (value != null && header == null) {
        return Optional.of(McpError.headerMismatch(expected.getKey() + " header is required: the tool mirrors that argument"));
      }
      if (value != null && !value.equals(header.strip()) && !numericallyEqual(value, header.strip())) {
        return Optional.of(McpError.headerMismatch(expected.getKey() + " header value '" + header
            + "' does not match the argument's value '" + value + "'"));
      }
    }
    return Optional.empty();
  }

  private static boolean numericallyEqual(String a, String b) {
    try {
      return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b)) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The check that refused the arguments, as named in denials and the audit log (docs/checks/). */
  private static String ruleFor(Violation v) {
    return switch (v.keyword()) {
      case "additionalProperties", "unevaluatedProperties" -> "undeclared-arguments";
      case "maxDepth", "maxStringLength", "maxArrayItems", "maxSize" -> "argument-limits";
      default -> "input-schema";
    };
  }
}
