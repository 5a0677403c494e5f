package dev.portcullis.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * The answer to one POST: a single JSON object, or, as soon as something must be sent before the final message
 * (a progress notification, a server-to-client request), an SSE stream that ends with the final message.
 */
final class ResponseStream {
  private static final byte[] EVENT_PREFIX = "event: message\ndata: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EVENT_SUFFIX = "\n\n".getBytes(StandardCharsets.UTF_8);

  private final Response response;
  private final Object lock = new Object();
  private OutputStream out;
  private boolean finished;
  private volatile boolean broken;

  ResponseStream(Response response) {
    this.response = response;
  }

  /** Sends an intermediate message, switching the response to SSE if it is not already. */
  boolean event(ObjectNode message) {
    synchronized (lock) {
      if (finished || broken) {
        return false;
      }
      try {
        if (out == null) {
          response.setStatus(200);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
          response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
          response.getHeaders().put("X-Accel-Buffering", "no");
          out = Content.Sink.asOutputStream(response);
        }
        writeEvent(message);
        out.flush();
        return true;
      } catch (IOException e) {
        broken = true;
        return false;
      }
    }
  }

  /** Sends the final message: as the JSON body, or as the last SSE event. */
  void finish(ObjectNode message, int httpStatus) throws IOException {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      if (out == null) {
        byte[] body = Json.bytes(message);
        response.setStatus(httpStatus);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        out = Content.Sink.asOutputStream(response);
        out.write(body);
        out.close();
      } else if (!broken) {
        writeEvent(message);
        out.close();
      }
    }
  }

  /** True once writing failed: the client went away. */
  boolean broken() {
    return broken;
  }

  boolean streaming() {
    synchronized (lock) {
      return out != null;
    }
  }

  private void writeEvent(ObjectNode message) throws IOException {
    out.write(EVENT_PREFIX);
    out.write(Json.bytes(message));
    out.write(EVENT_SUFFIX);
  }
}
