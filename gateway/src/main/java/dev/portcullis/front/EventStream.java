package dev.portcullis.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * A long-lived SSE stream: the 2025 wire's GET stream, or a 2026 {@code subscriptions/listen} response. Messages can
 * be sent from any thread; the owning request thread parks in {@link #awaitClose} and sends keep-alive comments.
 */
final class EventStream {
  private static final byte[] KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.UTF_8);

  private final OutputStream out;
  private final CountDownLatch closed = new CountDownLatch(1);

  EventStream(Response response) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.getHeaders().put("X-Accel-Buffering", "no");
    this.out = Content.Sink.asOutputStream(response);
  }

  /** Sends one message; false when the stream is gone (the caller should forget it). */
  synchronized boolean send(ObjectNode message) {
    if (closed.getCount() == 0) {
      return false;
    }
    try {
      out.write(("event: message\ndata: " + Json.write(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    } catch (IOException e) {
      close();
      return false;
    }
  }

  /** Flushes headers at once so the client sees the stream open. */
  synchronized void open() {
    try {
      out.flush();
    } catch (IOException e) {
      close();
    }
  }

  /** Parks the request thread until the stream closes, sending a keep-alive comment every {@code keepAliveMillis}. */
  void awaitClose(long keepAliveMillis) throws InterruptedException {
    while (!closed.await(keepAliveMillis, TimeUnit.MILLISECONDS)) {
      synchronized (this) {
        try {
          out.write(KEEP_ALIVE);
          out.flush();
        } catch (IOException e) {
          close();
        }
      }
    }
    synchronized (this) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the client is gone already
      }
    }
  }

  void close() {
    closed.countDown();
  }

  boolean isOpen() {
    return closed.getCount() > 0;
  }
}
