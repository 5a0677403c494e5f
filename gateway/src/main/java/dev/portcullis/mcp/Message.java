package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.util.Locale;

/**
 * One parsed JSON-RPC message from a client: a request, a notification, or a response to a server-to-client request.
 * Unknown members are kept in {@link #raw()} so nothing is lost on the way through.
 */
public record Message(Kind kind, JsonNode id, String method, ObjectNode params, ObjectNode raw) {
  public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

  /** Validates the JSON-RPC 2.0 envelope; the result says exactly what is wrong. */
  public static Message of(JsonNode node) throws McpException {
    if (!(node instanceof ObjectNode object)) {
      throw new McpException(McpError.invalidRequest("a JSON-RPC message must be a JSON object, got " + kindOf(node)));
    }
    JsonNode version = object.get("jsonrpc");
    if (version == null || !"2.0".equals(version.asText(null)) || !version.isTextual()) {
      throw new McpException(McpError.invalidRequest("'jsonrpc' must be the string \"2.0\", got " + (version == null ? "nothing" : version)));
    }
    JsonNode id = object.get("id");
    if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
      throw new McpException(McpError.invalidRequest("'id' must be a string or an integer, got " + id));
    }
    JsonNode method = object.get("method");
    if (method == null) {
      if (id != null && (object.has("result") || object.has("error"))) {
        return new Message(Kind.RESPONSE, id, null, null, object);
      }
      throw new McpException(McpError.invalidRequest("a request needs a 'method' string"));
    }
    if (!method.isTextual() || method.asText().isEmpty()) {
      throw new McpException(McpError.invalidRequest("'method' must be a non-empty string, got " + method));
    }
    JsonNode params = object.get("params");
    if (params != null && !params.isObject()) {
      throw new McpException(new McpError(McpError.INVALID_PARAMS, "'params' must be an object, got " + kindOf(params), null, 400));
    }
    ObjectNode p = params == null ? Json.object() : (ObjectNode) params;
    return new Message(id == null ? Kind.NOTIFICATION : Kind.REQUEST, id, method.asText(), p, object);
  }

  /** {@code params._meta}, or an empty object. */
  public ObjectNode meta() {
    JsonNode meta = params == null ? null : params.get("_meta");
    return meta instanceof ObjectNode o ? o : Json.object();
  }

  /** The id as text for logs and the audit log; empty for notifications. */
  public String idText() {
    return id == null ? "" : id.asText();
  }

  private static String kindOf(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
