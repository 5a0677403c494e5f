package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/** A Server-Sent Events response: one {@code message} event per JSON-RPC message, blocking writes. */
final class SseStream implements Subscriptions.Sink {
  private final Response response;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean open = true;
  private volatile boolean closedByServer;

  SseStream(Response response, Map<String, String> headers) {
    this.response = response;
    response.setStatus(200);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.getHeaders().put("X-Accel-Buffering", "no");
  }

  @Override
  public boolean send(ObjectNode message) {
    return write("event: message\ndata: " + Json.write(message) + "\n\n");
  }

  /** Writes an SSE comment (keeps intermediaries from timing out; detects a client that went away). */
  boolean comment(String text) {
    return write(": " + text + "\n\n");
  }

  boolean isOpen() {
    return open;
  }

  /** Ends the stream from the server side (session deleted, server stopping). */
  @Override
  public void close() {
    closedByServer = true;
    ended.countDown();
  }

  /** Blocks until the client goes away or the server closes the stream; true when the server closed it. */
  boolean awaitEnd() throws InterruptedException {
    ended.await();
    return closedByServer;
  }

  /** Completes the HTTP response. */
  synchronized void finish(Callback callback) {
    if (!open) {
      callback.failed(new IllegalStateException("SSE stream already broken"));
      return;
    }
    response.write(true, null, callback);
  }

  private synchronized boolean write(String text) {
    if (!open) {
      return false;
    }
    try {
      FutureCallback done = new FutureCallback();
      response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
      done.get(30, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      open = false;
      ended.countDown();
      return false;
    }
  }
}
