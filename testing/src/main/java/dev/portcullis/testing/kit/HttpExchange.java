package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One POST's answer. Starts as a plain JSON response; the first notification or server-to-client request switches
 * it to an SSE stream that the final response then ends.
 */
final class HttpExchange implements Exchange {
  private final Response response;
  private final Session session;
  private SseStream stream;

  HttpExchange(Response response, Session session) {
    this.response = response;
    this.session = session;
  }

  @Override
  public synchronized void notify(ObjectNode notification) {
    stream().send(notification);
  }

  @Override
  public ObjectNode ask(String method, ObjectNode params) {
    if (session == null) {
      throw new McpError(McpError.INTERNAL_ERROR,
          "server-to-client requests exist only on the 2025 wire; on 2026-07-28 use an input_required reply");
    }
    return session.ask(this::notify, method, params);
  }

  @Override
  public ObjectNode ask(String method, ObjectNode params, String preferredId) {
    if (session == null) {
      return ask(method, params);
    }
    return session.ask(this::notify, method, params, preferredId);
  }

  synchronized void reply(ObjectNode message, int status, Callback callback) {
    if (stream == null) {
      HttpIo.json(response, callback, status, message, Map.of());
    } else {
      stream.send(message);
      stream.finish(callback);
    }
  }

  void replyError(JsonNode id, McpError error, int status, Callback callback) {
    reply(HttpIo.error(id, error), status, callback);
  }

  private SseStream stream() {
    if (stream == null) {
      stream = new SseStream(response, Map.of());
    }
    return stream;
  }
}
