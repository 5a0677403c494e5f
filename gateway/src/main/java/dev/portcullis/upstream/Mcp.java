package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.util.List;

/** MCP wire constants and message builders shared by the transports. */
final class Mcp {
  static final String MODERN = dev.portcullis.mcp.Mcp.V2026;
  /** Legacy versions Portcullis accepts from {@code initialize}, newest first (the first is the one it asks for). */
  static final List<String> LEGACY = List.of("2025-11-25", "2025-06-18", "2025-03-26");

  static final String META = "_meta";
  static final String PROTOCOL_VERSION = dev.portcullis.mcp.Mcp.META_PROTOCOL_VERSION;
  static final String CLIENT_CAPABILITIES = dev.portcullis.mcp.Mcp.META_CLIENT_CAPABILITIES;
  static final String CLIENT_INFO = dev.portcullis.mcp.Mcp.META_CLIENT_INFO;
  static final String LOG_LEVEL = dev.portcullis.mcp.Mcp.META_LOG_LEVEL;
  static final String SERVER_INFO = dev.portcullis.mcp.Mcp.META_SERVER_INFO;
  static final String SUBSCRIPTION_ID = dev.portcullis.mcp.Mcp.META_SUBSCRIPTION_ID;
  /** Marks notifications Portcullis made up itself (a refresh after a restart or reconnect). */
  static final String SYNTHETIC = "dev.portcullis/synthetic";

  static final int METHOD_NOT_FOUND = -32601;
  static final int INTERNAL_ERROR = -32603;
  static final int HEADER_MISMATCH = -32020;
  static final int MISSING_CAPABILITY = -32021;
  static final int UNSUPPORTED_VERSION = -32022;

  static final String PROGRESS = "notifications/progress";
  static final String CANCELLED = "notifications/cancelled";
  static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";
  static final String LISTEN = "subscriptions/listen";

  private Mcp() {}

  static ObjectNode request(long id, String method, ObjectNode params) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
    message.set("params", params);
    return message;
  }

  static ObjectNode notification(String method, ObjectNode params) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    return message;
  }

  static ObjectNode response(JsonNode id, Reply reply) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0");
    message.set("id", id);
    switch (reply) {
      case Reply.Result r -> message.set("result", r.result());
      case Reply.Error e -> message.set("error", e.error());
    }
    return message;
  }

  static boolean modernError(int code) {
    return code == HEADER_MISMATCH || code == MISSING_CAPABILITY || code == UNSUPPORTED_VERSION;
  }

  /** Notifications that refresh the catalog; always go to the upstream's listeners. */
  static boolean catalogChange(String method) {
    return method.endsWith("/list_changed") || method.equals("notifications/resources/updated");
  }

  /** The {@code Mcp-Name} source value: {@code params.name} or {@code params.uri} for the methods that need it. */
  static String nameOf(String method, ObjectNode params) {
    return switch (method) {
      case "tools/call", "prompts/get" -> textOrNull(params.get("name"));
      case "resources/read" -> textOrNull(params.get("uri"));
      default -> null;
    };
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  static String excerpt(String text, int max) {
    String flat = text.replace('\n', ' ').replace('\r', ' ');
    return flat.length() <= max ? flat : flat.substring(0, max) + "...";
  }
}
