package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Reads the SSE stream answering one POST until the exchange has its answer, then lets the rest drain on a virtual
 * thread so the connection goes back to the pool. On the 2025 wire a stream that breaks before the answer is resumed
 * with GET and {@code Last-Event-ID}, as that revision allows; on the 2026 wire a broken stream loses the request.
 */
final class SseResponse {
  private static final int RESUME_ATTEMPTS = 3;

  private final HttpTransport http;
  private final Exchange ex;
  private final Request request;

  SseResponse(HttpTransport http, Exchange ex, Request request) {
    this.http = http;
    this.ex = ex;
    this.request = request;
  }

  void read(InputStream in) throws UpstreamException {
    SseParser parser = new SseParser(this::event);
    IOException broken = readUntilAnswer(in, parser, request);
    for (int attempt = 0; !ex.isDone() && !ex.modern && parser.lastEventId() != null
        && attempt < RESUME_ATTEMPTS; attempt++) {
      broken = resume(parser);
    }
    if (!ex.isDone()) {
      ex.fail(http.protocol("closed the response stream of " + ex.method + " before answering"
          + (broken == null ? "" : " (" + broken.getMessage() + ")")), false);
    }
  }

  private IOException readUntilAnswer(InputStream in, SseParser parser, Request owner) {
    LineReader lines = new LineReader(in, http.maxMessageBytes(), parser, () -> McpUpstream.LOG.warn(
        "upstream {} sent an SSE line over {} bytes; skipped it", http.name(), http.maxMessageBytes()));
    boolean ended;
    try {
      ended = lines.run(ex::isDone);
    } catch (IOException e) {
      HttpBodies.quietlyClose(in);
      return e;
    } catch (RuntimeException e) {
      // Jetty reports some stream failures unchecked.
      HttpBodies.quietlyClose(in);
      return new IOException(e.getMessage(), e);
    }
    if (ended) {
      HttpBodies.quietlyClose(in);
    } else {
      // The answer arrived and the server ends the stream right after it: drain off the caller's thread so the
      // connection goes back to the pool. A server that keeps it open is cut by the request's idle timeout.
      Thread.startVirtualThread(() -> HttpBodies.drain(in));
    }
    return null;
  }

  private void event(String type, byte[] data, int len) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(data, 0, len);
    } catch (IOException e) {
      McpUpstream.LOG.warn("upstream {} sent an SSE event that is not JSON; skipped: {}", http.name(),
          Mcp.excerpt(new String(data, 0, Math.min(len, 300), java.nio.charset.StandardCharsets.UTF_8), 200));
      return;
    }
    http.dispatch(ex, node);
  }

  private IOException resume(SseParser parser) throws UpstreamException {
    try {
      Thread.sleep(Math.max(parser.retryMillis(), 100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    String session = http.sessionId();
    Request get = http.client().newRequest(http.url()).method(HttpMethod.GET)
        .idleTimeout(ex.timeout == null ? 1_800_000 : ex.timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
        .headers(h -> {
          h.add(http.fixedHeaders());
          h.put(HttpHeader.ACCEPT, "text/event-stream");
          h.put("Last-Event-ID", parser.lastEventId());
          if (ex.protocolVersion != null) {
            h.put(HttpTransport.PROTOCOL_VERSION, ex.protocolVersion);
          }
          if (session != null) {
            h.put(HttpTransport.SESSION_ID, session);
          }
        });
    InputStreamResponseListener listener = new InputStreamResponseListener();
    ex.onAbort(get::abort);
    get.send(listener);
    Response response;
    try {
      response = listener.get(365, TimeUnit.DAYS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      get.abort(e);
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return new IOException("resuming failed: " + (e.getCause() == null ? e : e.getCause()));
    }
    InputStream in = listener.getInputStream();
    String type = Objects.requireNonNullElse(response.getHeaders().get(HttpHeader.CONTENT_TYPE), "")
        .toLowerCase(Locale.ROOT);
    if (response.getStatus() != 200 || !type.startsWith("text/event-stream")) {
      HttpBodies.quietlyClose(in);
      return new IOException("resuming with Last-Event-ID got HTTP " + response.getStatus());
    }
    return readUntilAnswer(in, parser, get);
  }
}
