package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** What a handler sees of one request, whichever wire and transport it came on. */
public interface McpRequest {
  /** The JSON-RPC method, e.g. {@code tools/call}. */
  String method();

  /** The request params (never null; includes {@code _meta}). */
  ObjectNode params();

  /**
   * Tool or prompt arguments ({@code params.arguments}, never null); for a resource template, the template variables.
   */
  ObjectNode arguments();

  Wire wire();

  /** The protocol version in force: per request on the 2026 wire, negotiated at initialize on the 2025 wire. */
  String protocolVersion();

  /** Client capabilities: per request on the 2026 wire, from initialize on the 2025 wire. */
  ObjectNode clientCapabilities();

  default boolean clientSupports(String capability) {
    return clientCapabilities().has(capability);
  }

  /** Throws MissingRequiredClientCapabilityError (-32021) unless the client declared the capability. */
  default void requireClientCapability(String capability, String why) {
    if (!clientSupports(capability)) {
      throw McpError.missingCapability(capability, why);
    }
  }

  /** The client's answer to the input request with this key, if the client sent one (MRTR retry). */
  Optional<ObjectNode> inputResponse(String key);

  /** All input responses of this retry (empty on a first call). */
  ObjectNode inputResponses();

  /** The request state this server handed out in its previous input_required reply (already verified). */
  Optional<String> requestState();

  /** Sends {@code notifications/progress} on the request's stream when the client asked for progress; else no-op. */
  void progress(double progress, Double total, String message);

  /**
   * Sends {@code notifications/message} when the client's log level admits {@code level} (per request on the 2026
   * wire, {@code logging/setLevel} on the 2025 wire).
   */
  void log(String level, JsonNode data);

  /** An HTTP request header of this call (case-insensitive name); empty on stdio. */
  Optional<String> httpHeader(String name);

  /** The fixture serving this request (to trigger list-changed notifications). */
  McpFixture fixture();
}
