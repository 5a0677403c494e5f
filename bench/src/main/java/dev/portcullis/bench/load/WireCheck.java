package dev.portcullis.bench.load;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;

/**
 * How a target in front of the stdio server serves a wire, found by calling it: a few sequential calls, each checked
 * to be the tool's real result, while the stdio server processes under the target are watched (every 20 ms; a server
 * JVM lives for hundreds of milliseconds at least). Tells whether the target serves the wire at all (and if not,
 * exactly what it answered), and whether it relays to one long-lived server or starts one per call.
 *
 * @param calls calls sent
 * @param answered calls that returned the tool's real result
 * @param started stdio server processes (Java) seen under the target during the calls that were not running before
 * @param running stdio server processes running under the target before the first call
 * @param failure the first wrong answer (status and the start of its body, or the exception), if any
 */
record WireCheck(String target, int calls, int answered, int started, int running, Optional<String> failure) {
  private static final int SHOWN = 300;

  /** Sends {@code calls} calls one after the other through {@code client}, watching the processes under {@code root}. */
  static WireCheck run(McpClient client, ProcessHandle root, int calls) throws InterruptedException {
    Set<Long> seen = new LinkedHashSet<>();
    Set<Long> before = servers(root);
    Thread watcher = Thread.ofPlatform().daemon().name("wire-check-watch").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        synchronized (seen) {
          seen.addAll(servers(root));
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    int answered = 0;
    String failure = null;
    try {
      for (int i = 0; i < calls; i++) {
        try {
          ContentResponse response = client.call().timeout(60, TimeUnit.SECONDS).send();
          if (client.ok(response.getStatus(), response.getContentAsString())) {
            answered++;
          } else if (failure == null) {
            failure = "HTTP " + response.getStatus() + " " + shorten(response.getContentAsString());
          }
        } catch (Exception e) {
          if (failure == null) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
          }
        }
      }
    } finally {
      watcher.interrupt();
      watcher.join(Duration.ofSeconds(5));
    }
    synchronized (seen) {
      seen.addAll(servers(root));
      seen.removeAll(before);
      return new WireCheck(client.target().name(), calls, answered, seen.size(), before.size(),
          Optional.ofNullable(failure));
    }
  }

  /** Whether every call came back with the tool's result. */
  boolean serves() {
    return answered == calls && calls > 0;
  }

  /** One line for the report: what the target did with the calls, and what ran behind it. */
  String describe() {
    if (!serves()) {
      return String.format(Locale.ROOT, "does not serve it: %d of %d calls answered with the tool's result; first"
          + " wrong answer: %s", answered, calls, failure.orElse("none"));
    }
    String how = started == 0 ? "relayed to the stdio server process(es) already running, no new process"
        : started >= calls ? "a new stdio server process for each call" : "some calls started a new stdio server";
    return String.format(Locale.ROOT, "serves it: %d of %d sequential calls answered; %d stdio server process(es)"
        + " running before, %d started during the calls: %s", answered, calls, running, started, how);
  }

  private static Set<Long> servers(ProcessHandle root) {
    Set<Long> pids = new LinkedHashSet<>();
    root.descendants().filter(p -> p.info().command().filter(c -> c.endsWith("/java")).isPresent())
        .forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static String shorten(String body) {
    String flat = body == null ? "(no body)" : body.replaceAll("\\s+", " ").strip();
    return flat.length() <= SHOWN ? flat : flat.substring(0, SHOWN) + "…";
  }
}
