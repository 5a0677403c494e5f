package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A JSON-RPC error a handler or the kit answers with. Carries the HTTP status the Streamable HTTP transport uses for it
 * on the 2026 wire (404 for an unknown method, 400 for envelope, header and capability errors, else 200).
 */
public final class McpError extends RuntimeException {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  public static final int HEADER_MISMATCH = -32020;
  public static final int MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;
  public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

  private final int code;
  private final transient JsonNode data;
  private final int httpStatus;

  public McpError(int code, String message, JsonNode data, int httpStatus) {
    super(message);
    this.code = code;
    this.data = data;
    this.httpStatus = httpStatus;
  }

  public McpError(int code, String message) {
    this(code, message, null, defaultStatus(code));
  }

  public McpError(int code, String message, JsonNode data) {
    this(code, message, data, defaultStatus(code));
  }

  public static McpError methodNotFound(String method) {
    return new McpError(METHOD_NOT_FOUND, "Method not found: " + method);
  }

  public static McpError invalidParams(String message) {
    return new McpError(INVALID_PARAMS, message);
  }

  /** An invalid-params error about the request envelope (HTTP 400 on the 2026 wire). */
  public static McpError badEnvelope(String message) {
    return new McpError(INVALID_PARAMS, message, null, 400);
  }

  public static McpError headerMismatch(String message) {
    return new McpError(HEADER_MISMATCH, message, null, 400);
  }

  /** The client did not declare a capability the request needs; data names it as a ClientCapabilities object. */
  public static McpError missingCapability(String capability, String why) {
    ObjectNode data = Json.object();
    data.putObject("requiredCapabilities").putObject(capability);
    return new McpError(MISSING_REQUIRED_CLIENT_CAPABILITY,
        "Missing required client capability '" + capability + "': " + why
            + "; declare it in io.modelcontextprotocol/clientCapabilities (or initialize capabilities) and retry",
        data, 400);
  }

  public int code() {
    return code;
  }

  public Optional<JsonNode> data() {
    return Optional.ofNullable(data);
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The JSON-RPC {@code error} object. */
  public ObjectNode toJson() {
    ObjectNode error = Json.object().put("code", code).put("message", getMessage());
    if (data != null) {
      error.set("data", data);
    }
    return error;
  }

  private static int defaultStatus(int code) {
    return switch (code) {
      case METHOD_NOT_FOUND -> 404;
      case HEADER_MISMATCH, MISSING_REQUIRED_CLIENT_CAPABILITY, UNSUPPORTED_PROTOCOL_VERSION, PARSE_ERROR,
           INVALID_REQUEST -> 400;
      default -> 200;
    };
  }
}
