package dev.portcullis.upstream;

import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
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
 * The 2025 wire's GET stream for messages the server sends outside any call (list changes, resource updates,
 * {@code roots/list}), kept open with reconnects (honouring {@code retry} and {@code Last-Event-ID}) until close. A
 * server that answers 405 offers no such stream, and none is opened again.
 */
final class LegacyEventStream {
  private final HttpTransport http;
  private volatile boolean running = true;
  private volatile Request current;
  private Thread thread;

  LegacyEventStream(HttpTransport http) {
    this.http = http;
  }

  void start() {
    thread = Thread.ofVirtual().name("upstream-" + http.name() + "-events").start(this::loop);
  }

  void stop() {
    running = false;
    Request r = current;
    if (r != null) {
      r.abort(new IOException("upstream closed"));
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void loop() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));
    String lastEventId = null;
    while (running && !http.closed()) {
      long started = System.nanoTime();
      long retry = -1;
      String session = http.sessionId();
      String version = http.legacyVersion();
      String resumeFrom = lastEventId;
      Request get = http.client().newRequest(http.url()).method(HttpMethod.GET)
          .idleTimeout(30, TimeUnit.MINUTES).headers(h -> {
            h.add(http.fixedHeaders());
            h.put(HttpHeader.ACCEPT, "text/event-stream");
            if (version != null) {
              h.put(HttpTransport.PROTOCOL_VERSION, version);
            }
            if (session != null) {
              h.put(HttpTransport.SESSION_ID, session);
            }
            if (resumeFrom != null) {
              h.put("Last-Event-ID", resumeFrom);
            }
          });
      current = get;
      InputStreamResponseListener listener = new InputStreamResponseListener();
      get.send(listener);
      try {
        Response response = listener.get(60, TimeUnit.SECONDS);
        InputStream in = listener.getInputStream();
        int status = response.getStatus();
        String type = Objects.requireNonNullElse(response.getHeaders().get(HttpHeader.CONTENT_TYPE), "")
            .toLowerCase(Locale.ROOT);
        if (status == 405) {
          HttpBodies.quietlyClose(in);
          McpUpstream.LOG.debug("upstream {} offers no GET stream (405)", http.name());
          return;
        } else if (status == 404 && session != null) {
          HttpBodies.quietlyClose(in);
          http.renewSession(session);
          lastEventId = null;
          continue;
        } else if (status == 200 && type.startsWith("text/event-stream")) {
          SseParser parser = new SseParser((t, data, len) -> deliver(data, len));
          new LineReader(in, http.maxMessageBytes(), parser, () -> {}).run(() -> !running);
          HttpBodies.quietlyClose(in);
          lastEventId = parser.lastEventId() == null ? lastEventId : parser.lastEventId();
          retry = parser.retryMillis();
        } else {
          HttpBodies.quietlyClose(in);
          McpUpstream.LOG.debug("upstream {}: GET stream answered HTTP {}", http.name(), status);
        }
      } catch (InterruptedException e) {
        return;
      } catch (ExecutionException | TimeoutException | IOException | UpstreamException | RuntimeException e) {
        if (!running) {
          return;
        }
        McpUpstream.LOG.debug("upstream {}: GET stream broke: {}", http.name(), e.getMessage());
      }
      try {
        Duration upFor = Duration.ofNanos(System.nanoTime() - started);
        Thread.sleep(retry >= 0 ? Duration.ofMillis(retry) : backoff.next(upFor));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void deliver(byte[] data, int len) {
    try {
      http.dispatch(null, Json.MAPPER.readTree(data, 0, len));
    } catch (IOException e) {
      McpUpstream.LOG.warn("upstream {} sent a GET-stream event that is not JSON; skipped", http.name());
    }
  }
}
