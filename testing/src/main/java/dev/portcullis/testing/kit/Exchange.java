package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The channel of one in-flight request: notifications about it and, on the 2025 wire, requests to the client. */
interface Exchange {
  /** Sends a notification that relates to this request (progress, log message). */
  void notify(ObjectNode notification);

  /** Sends a server-to-client request (2025 wire only) and returns the client's result. */
  ObjectNode ask(String method, ObjectNode params);

  /** Like {@link #ask(String, ObjectNode)}, sending the request under {@code preferredId} when it is free. */
  default ObjectNode ask(String method, ObjectNode params, String preferredId) {
    return ask(method, params);
  }
}
