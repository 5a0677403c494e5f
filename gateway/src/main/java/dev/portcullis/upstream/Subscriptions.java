package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a 2026 {@code subscriptions/listen} stream open for the list changes the upstream advertises, and opens it
 * again (with a backoff) whenever it ends; after a reconnect, listeners are told to refresh what they may have missed.
 */
final class Subscriptions {
  private static final List<String> FEATURES = List.of("tools", "prompts", "resources");

  private final McpUpstream upstream;
  private volatile boolean running;
  private volatile Cancellation current;
  private Thread thread;

  Subscriptions(McpUpstream upstream) {
    this.upstream = upstream;
  }

  synchronized void start(UpstreamInfo info) {
    if (running) {
      return;
    }
    List<String> features = new ArrayList<>();
    ObjectNode filter = Json.object();
    for (String feature : FEATURES) {
      if (info.listChanged(feature)) {
        filter.put(feature + "ListChanged", true);
        features.add(feature);
      }
    }
    if (features.isEmpty()) {
      return;
    }
    running = true;
    thread = Thread.ofVirtual().name("upstream-" + upstream.name() + "-listen").start(() -> loop(filter, features));
  }

  synchronized void stop() {
    running = false;
    Cancellation c = current;
    if (c != null) {
      c.cancel("Portcullis is closing the upstream");
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void loop(ObjectNode filter, List<String> features) {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));
    boolean everAcknowledged = false;
    while (running) {
      long started = System.nanoTime();
      Cancellation cancellation = new Cancellation();
      current = cancellation;
      AtomicBoolean acknowledged = new AtomicBoolean();
      boolean reconnect = everAcknowledged;
      CallContext ctx = CallContext.defaults().withCancellation(cancellation).withNotifications(n -> {
        if (n.path("method").asText().equals(Mcp.ACKNOWLEDGED)) {
          acknowledged.set(true);
          if (reconnect) {
            upstream.refresh("subscription reconnected", features);
          }
        } else {
          upstream.fanout(n);
        }
      });
      ObjectNode params = Json.object();
      params.set("notifications", filter.deepCopy());
      try {
        Reply reply = upstream.listen(params, ctx);
        if (reply instanceof Reply.Error e) {
          McpUpstream.LOG.warn("upstream {} advertises list changes but refused subscriptions/listen ({} {});"
              + " its catalog will not refresh by itself", upstream.name(), e.code(), e.message());
          return;
        }
        McpUpstream.LOG.debug("upstream {} ended its subscription; listening again", upstream.name());
      } catch (UpstreamException e) {
        if (!running) {
          return;
        }
        McpUpstream.LOG.debug("upstream {}: subscription stream broke ({}); listening again", upstream.name(),
            e.getMessage());
      }
      everAcknowledged |= acknowledged.get();
      try {
        Thread.sleep(backoff.next(Duration.ofNanos(System.nanoTime() - started)));
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
