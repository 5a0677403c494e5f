package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The way back to the agent while its request is being served: request-scoped notifications (progress, log messages)
 * and, on the 2025 wire, server-to-client requests (elicitation, sampling, roots) answered by the client.
 */
public interface ClientChannel {
  /** Sends a notification on this request's own response stream. */
  void notify(ObjectNode notification);

  /** True when the client can answer a server-to-client request during this call (2025 wire). */
  boolean canAsk();

  /**
   * Sends a server-to-client request and waits for the client's response message ({@code result} or {@code error}).
   *
   * @throws IllegalStateException when {@link #canAsk()} is false
   */
  ObjectNode ask(String method, ObjectNode params, Duration timeout) throws InterruptedException;

  /** True once the client gave up on the request (closed its stream, or sent {@code notifications/cancelled}). */
  boolean cancelled();

  /** Runs {@code action} when the client gives up on the request (at once if it already has). */
  default void onCancel(Runnable action) {}

  /** A channel for callers that cannot receive anything back (used by the plain HTTP tool API and tests). */
  ClientChannel NONE = new ClientChannel() {
    @Override
    public void notify(ObjectNode notification) {}

    @Override
    public boolean canAsk() {
      return false;
    }

    @Override
    public ObjectNode ask(String method, ObjectNode params, Duration timeout) {
      throw new IllegalStateException("this client cannot answer server-to-client requests");
    }

    @Override
    public boolean cancelled() {
      return false;
    }
  };
}
