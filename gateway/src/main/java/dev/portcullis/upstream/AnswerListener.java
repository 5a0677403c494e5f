package dev.portcullis.upstream;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * Waits for the answer to one POST with a single hand-off to the calling thread. A successful SSE answer is handed over
 * at its headers and read incrementally from an {@link InputStream}; any other answer (a JSON body, an error) is
 * collected in full on the client's I/O thread and handed over once, complete. That saves the calling thread a wake-up
 * per read and the I/O thread a wake-up to take the connection back: both happen where the bytes arrive.
 */
final class AnswerListener implements Response.Listener {
  /** How much of a non-2xx body is kept for the error message; the rest is read and dropped. */
  static final int ERROR_BODY_BYTES = 64 * 1024;

  /** What arrived: a whole body (with the failure that cut it short, if any) or an SSE stream being read. */
  sealed interface Answer {
    Response response();

    /**
     * @param failure why the body ended early (the connection broke, the request was aborted); null when complete
     * @param oversized the successful body outgrew the largest message accepted from an upstream and was cut off
     */
    record Whole(Response response, byte[] body, Throwable failure, boolean oversized) implements Answer {}

    record Stream(Response response, InputStream in) implements Answer {}
  }

  private final CompletableFuture<Answer> answer = new CompletableFuture<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
  private final int maxMessageBytes;
  private InputStreamResponseListener stream;
  private boolean headers;
  private boolean success;
  private boolean oversized;
  private int bodyLimit;

  /** @param maxMessageBytes the largest successful body kept; a longer one aborts the exchange as oversized */
  AnswerListener(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.bodyLimit = maxMessageBytes;
  }

  /** The answer once its headers (SSE) or its whole body (anything else) arrived; fails when no response came. */
  Answer await() throws InterruptedException, ExecutionException {
    return answer.get();
  }

  @Override
  public void onHeaders(Response response) {
    headers = true;
    int status = response.getStatus();
    String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (status / 100 == 2 && type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      stream = new InputStreamResponseListener();
      stream.onHeaders(response);
      answer.complete(new Answer.Stream(response, stream.getInputStream()));
    } else if (status / 100 != 2) {
      bodyLimit = ERROR_BODY_BYTES;
    } else {
      success = true;
    }
  }

  @Override
  public void onContent(Response response, Content.Chunk chunk, Runnable demander) throws Exception {
    if (stream != null) {
      stream.onContent(response, chunk, demander);
      return;
    }
    ByteBuffer bytes = chunk.getByteBuffer();
    if (success && body.size() + bytes.remaining() > maxMessageBytes) {
      // Memory stays bounded: a successful body is only useful whole, so one this large ends the exchange here.
      oversized = true;
      response.abort(new java.io.IOException("the body is over " + maxMessageBytes + " bytes"));
      return;
    }
    int keep = Math.min(bytes.remaining(), bodyLimit - body.size());
    if (keep > 0) {
      if (bytes.hasArray()) {
        body.write(bytes.array(), bytes.arrayOffset() + bytes.position(), keep);
      } else {
        byte[] copy = new byte[keep];
        bytes.get(copy);
        body.write(copy, 0, keep);
      }
    }
    demander.run();
  }

  @Override
  public void onSuccess(Response response) {
    if (stream != null) {
      stream.onSuccess(response);
    }
  }

  @Override
  public void onFailure(Response response, Throwable failure) {
    if (stream != null) {
      stream.onFailure(response, failure);
    }
  }

  @Override
  public void onComplete(Result result) {
    if (stream != null) {
      stream.onComplete(result);
      return;
    }
    if (result.getFailure() != null && !headers) {
      answer.completeExceptionally(result.getFailure());
    } else {
      answer.complete(new Answer.Whole(result.getResponse(), body.toByteArray(), result.getFailure(), oversized));
    }
  }
}
