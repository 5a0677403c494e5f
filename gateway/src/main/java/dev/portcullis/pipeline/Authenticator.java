package dev.portcullis.pipeline;

import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Agent;
import java.util.Optional;

/** Turns the credential of a request that does not go through the pipeline (GET, DELETE) into an agent. */
@FunctionalInterface
public interface Authenticator {
  /** The agent, or the error to answer with (401 for a missing or bad credential). */
  Result authenticate(Optional<String> bearer);

  /** An authentication outcome. */
  sealed interface Result {
    record Authenticated(Agent agent) implements Result {}

    record Refused(McpError error) implements Result {}
  }
}
