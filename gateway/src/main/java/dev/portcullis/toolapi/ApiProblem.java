package dev.portcullis.toolapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import java.util.Set;

/**
 * A refused or failed API request: an HTTP status and a JSON body {@code {"error": {status, code, message, ...}}}.
 * Denials keep the rule, reason and hint of the pipeline's decision, so a framework can show them to its model.
 */
final class ApiProblem extends Exception {
  /** Rules of the argument checks: the body does not match the tool, rather than the policy refusing the call. */
  private static final Set<String> ARGUMENT_RULES = Set.of("input-schema", "undeclared-arguments", "argument-limits");

  private final int status;
  private final ObjectNode error;
  private final String allow;

  ApiProblem(int status, String code, String message) {
    this(status, code, message, "");
  }

  private ApiProblem(int status, String code, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.error = Json.object().put("status", status).put("code", code).put("message", message);
    this.allow = allow;
  }

  static ApiProblem methodNotAllowed(String method, String allowed) {
    return new ApiProblem(405, "method_not_allowed", "Method " + method + " is not allowed here; use " + allowed, allowed);
  }

  /** A JSON-RPC error from the pipeline, as an HTTP problem. */
  static ApiProblem from(McpError e) {
    ApiProblem problem = switch (e.code()) {
      case McpError.UNAUTHENTICATED -> new ApiProblem(401, "unauthenticated", e.message());
      case McpError.DENIED -> new ApiProblem(403, "denied", e.message());
      case McpError.UPSTREAM_FAILED -> new ApiProblem(502, "upstream_failed", e.message());
      case McpError.INVALID_PARAMS -> e.message().startsWith("Unknown tool")
          ? new ApiProblem(404, "unknown_tool", e.message())
          : new ApiProblem(400, "invalid_params", e.message());
      case McpError.INTERNAL_ERROR -> new ApiProblem(503, "unavailable", e.message());
      default -> new ApiProblem(e.httpStatus() >= 400 ? e.httpStatus() : 502, "error", e.message());
    };
    if (e.data() != null && !e.data().isNull()) {
      problem.error.set("data", e.data());
    }
    return problem;
  }

  /**
   * A tool result that is not the tool's own answer: a denial (403, or 422 when the arguments do not match the
   * tool), a transport failure (502), or a request for interactive input this API cannot give (422). Null when the
   * result is the tool's answer, including a tool error the tool itself reported.
   */
  static ApiProblem fromResult(String tool, ObjectNode result) {
    JsonNode meta = result.path("_meta");
    JsonNode denial = meta.path(Mcp.META_DENIAL);
    if (denial.isObject()) {
      String rule = denial.path("rule").asText();
      boolean arguments = ARGUMENT_RULES.contains(rule);
      ApiProblem problem = new ApiProblem(arguments ? 422 : 403, arguments ? "invalid_arguments" : "denied", text(result));
      for (String field : new String[] {"rule", "reason", "hint", "docs"}) {
        if (denial.hasNonNull(field)) {
          problem.error.put(field, denial.path(field).asText());
        }
      }
      return problem;
    }
    JsonNode transport = meta.path(Mcp.META_PREFIX + "transportError");
    if (transport.isObject()) {
      ApiProblem problem = new ApiProblem(502, "upstream_failed", text(result));
      problem.error.put("upstream", transport.path("upstream").asText());
      return problem;
    }
    if ("input_required".equals(result.path("resultType").asText())) {
      return new ApiProblem(422, "input_required", "Tool '" + tool + "' asked for interactive input (elicitation, "
          + "sampling or roots), which the plain HTTP tool API cannot provide; call it over MCP instead");
    }
    return null;
  }

  private static String text(ObjectNode result) {
    StringBuilder text = new StringBuilder();
    result.path("content").forEach(c -> text.append(c.path("text").asText("")));
    return text.toString();
  }

  int status() {
    return status;
  }

  String allow() {
    return allow;
  }

  ObjectNode body() {
    ObjectNode body = Json.object();
    body.set("error", error);
    return body;
  }
}
