package dev.portcullis.testing.kit;

/** Serves one tool call, prompt, resource read or completion. Throw {@link McpError} for a JSON-RPC error. */
@FunctionalInterface
public interface Handler {
  Reply handle(McpRequest request);
}
