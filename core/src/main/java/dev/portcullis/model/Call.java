package dev.portcullis.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One request from an agent, independent of the wire it arrived on.
 *
 * @param requestId the JSON-RPC id as text (for the audit log), or empty for notifications
 * @param agent who is calling
 * @param session the Portcullis session the call belongs to
 * @param method the MCP method, e.g. {@code tools/call}
 * @param target the tool name, prompt name or resource URI the method acts on; empty for lists
 * @param arguments the call's arguments ({@code params.arguments}); an empty object when absent
 * @param params the full {@code params} object as received (unknown fields and {@code _meta} included)
 * @param protocolVersion the MCP revision the client speaks
 * @param clientInfo the client's {@code clientInfo}, or an empty object
 * @param receivedAt when the gateway received the request
 */
public record Call(
    String requestId,
    Agent agent,
    SessionView session,
    String method,
    String target,
    JsonNode arguments,
    ObjectNode params,
    String protocolVersion,
    JsonNode clientInfo,
    Instant receivedAt) {
  public Call {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(method, "method");
    target = target == null ? "" : target;
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(params, "params");
  }
}
