package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers a request that an upstream on the 2025 wire sends to its client ({@code elicitation/create},
 * {@code sampling/createMessage}, {@code roots/list}). The upstream client sends the returned result or error back
 * to the upstream under the upstream's own request id. Called on a virtual thread; may block (a person answering an
 * elicitation), and the time spent here does not count against the call's timeout.
 */
@FunctionalInterface
public interface ServerRequestHandler {

  /**
   * @param request the JSON-RPC request exactly as the upstream sent it ({@code id}, {@code method}, {@code params})
   * @return the answer to send back
   */
  Reply handle(ObjectNode request);

  /** Refuses every request with "method not found", naming the method: the default where no client can answer. */
  ServerRequestHandler REFUSE = request -> Reply.error(-32601,
      "Portcullis has no client to relay '" + request.path("method").asText() + "' to for this request");
}
