package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;

/**
 * A JSON-RPC error with the HTTP status the Streamable HTTP transport answers it with. Messages name the offending
 * input and, where there is one, the fix.
 */
public record McpError(int code, String message, JsonNode data, int httpStatus) {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  /** Portcullis: the caller is not authenticated (implementation-defined range). */
  public static final int UNAUTHENTICATED = -32001;
  /** Portcullis: the upstream failed (crashed, timed out, answered garbage). */
  public static final int UPSTREAM_FAILED = -32002;
  /** Portcullis: the request is refused by policy (used where a tool result cannot carry the denial). */
  public static final int DENIED = -32003;
  public static final int HEADER_MISMATCH = -32020;
  public static final int MISSING_CLIENT_CAPABILITY = -32021;
  public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

  public McpError {
    message = message == null ? "" : message;
  }

  public static McpError of(int code, String message) {
    return new McpError(code, message, null, statusFor(code));
  }

  public static McpError of(int code, String message, JsonNode data) {
    return new McpError(code, message, data, statusFor(code));
  }

  public McpError withStatus(int status) {
    return new McpError(code, message, data, status);
  }

  public static McpError parse(String detail) {
    return new McpError(PARSE_ERROR, "Parse error: " + detail, null, 400);
  }

  public static McpError invalidRequest(String detail) {
    return new McpError(INVALID_REQUEST, "Invalid request: " + detail, null, 400);
  }

  public static McpError invalidParams(String detail) {
    return new McpError(INVALID_PARAMS, detail, null, 400);
  }

  public static McpError methodNotFound(String method, String hint) {
    return new McpError(METHOD_NOT_FOUND, "Method not found: " + method + (hint.isEmpty() ? "" : " (" + hint + ")"), null, 404);
  }

  public static McpError headerMismatch(String detail) {
    return new McpError(HEADER_MISMATCH, "Header mismatch: " + detail, null, 400);
  }

  public static McpError unsupportedVersion(String requested) {
    ObjectNode data = Json.object();
    Mcp.SUPPORTED.forEach(data.putArray("supported")::add);
    if (requested == null) {
      data.putNull("requested");
    } else {
      data.put("requested", requested);
    }
    return new McpError(UNSUPPORTED_PROTOCOL_VERSION,
        "Unsupported protocol version: " + requested + "; Portcullis supports " + String.join(", ", Mcp.SUPPORTED), data, 400);
  }

  /** The HTTP status for an error code on the 2026 wire (validation errors 400, unknown methods 404, others 200). */
  public static int statusFor(int code) {
    return switch (code) {
      case HEADER_MISMATCH, MISSING_CLIENT_CAPABILITY, UNSUPPORTED_PROTOCOL_VERSION, PARSE_ERROR, INVALID_REQUEST -> 400;
      case METHOD_NOT_FOUND -> 404;
      case UNAUTHENTICATED -> 401;
      default -> 200;
    };
  }

  /** The JSON-RPC {@code error} member. */
  public ObjectNode toJson() {
    ObjectNode error = Json.object().put("code", code).put("message", message);
    if (data != null) {
      error.set("data", data);
    }
    return error;
  }

  /** Reads an upstream's {@code error} member; the HTTP status follows the code. */
  public static McpError fromJson(JsonNode error) {
    int code = error.path("code").asInt(INTERNAL_ERROR);
    JsonNode data = error.get("data");
    return new McpError(code, error.path("message").asText(""), data, statusFor(code));
  }
}
