package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler answers: a complete result, or the Multi Round-Trip "input required" answer. Handlers are written in
 * MRTR style on both wires; on the 2025 wire the kit turns an {@link InputRequired} into real server-to-client
 * requests on the request's SSE stream and calls the handler again with the client's answers.
 */
public sealed interface Reply {

  /** A finished result (the method's result object, without {@code resultType}: the kit adds it on the 2026 wire). */
  record Complete(ObjectNode result) implements Reply {
    public Complete {
      Objects.requireNonNull(result, "result");
    }
  }

  /** The server needs client input: {@code inputRequests} maps keys to elicitation/sampling/roots requests. */
  record InputRequired(ObjectNode inputRequests, Optional<String> requestState) implements Reply {
    public InputRequired {
      Objects.requireNonNull(inputRequests, "inputRequests");
      Objects.requireNonNull(requestState, "requestState");
      if (inputRequests.isEmpty() && requestState.isEmpty()) {
        throw new IllegalArgumentException("an input_required reply needs inputRequests or requestState (MRTR)");
      }
    }
  }

  static Reply complete(ObjectNode result) {
    return new Complete(result);
  }

  /** A tool result with one text block. */
  static Reply text(String text) {
    return new Complete(Json.textContent(text));
  }

  /** A tool execution error ({@code isError: true}) the model can read. */
  static Reply toolError(String text) {
    ObjectNode result = Json.textContent(text);
    result.put("isError", true);
    return new Complete(result);
  }

  /** Input required, with optional opaque state (the kit signs it so a tampered state is refused). */
  static Reply inputRequired(Map<String, ObjectNode> requests, String requestState) {
    ObjectNode map = Json.object();
    requests.forEach(map::set);
    return new InputRequired(map, Optional.ofNullable(requestState));
  }

  /** An {@code elicitation/create} input request (form mode). */
  static ObjectNode elicitation(String message, ObjectNode requestedSchema) {
    ObjectNode request = Json.object().put("method", "elicitation/create");
    request.putObject("params").put("message", message).set("requestedSchema", requestedSchema);
    return request;
  }

  /** A {@code sampling/createMessage} input request with one user text message. */
  static ObjectNode sampling(String prompt, int maxTokens) {
    ObjectNode request = Json.object().put("method", "sampling/createMessage");
    ObjectNode params = request.putObject("params");
    params.putArray("messages").addObject().put("role", "user")
        .putObject("content").put("type", "text").put("text", prompt);
    params.put("maxTokens", maxTokens);
    return request;
  }

  /** A {@code roots/list} input request. */
  static ObjectNode listRoots() {
    ObjectNode request = Json.object().put("method", "roots/list");
    request.putObject("params");
    return request;
  }
}
