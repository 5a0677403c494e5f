package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mcp.McpError;

/** What the pipeline answers a request with: a result or a JSON-RPC error. */
public sealed interface Reply {
  /** A JSON-RPC {@code result}. */
  record Result(ObjectNode result) implements Reply {}

  /** A JSON-RPC {@code error}, with the HTTP status the front answers it with. */
  record Error(McpError error) implements Reply {}

  static Reply result(ObjectNode result) {
    return new Result(result);
  }

  static Reply error(McpError error) {
    return new Error(error);
  }
}
