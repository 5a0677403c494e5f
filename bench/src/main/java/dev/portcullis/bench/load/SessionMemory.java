package dev.portcullis.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Memory per 1,000 concurrent 2025 sessions of a target in front of the stdio server, measured the same way for
 * Portcullis and the plain proxies: the process tree (the process in the middle and every stdio server it launched,
 * {@link ProcessTree#memory}) is read, sessions are opened ({@code initialize} and {@code notifications/initialized},
 * then left open and idle), and the tree is read again after a settling second; the difference is scaled to 1,000
 * sessions. The tree is also read a second before the first reading, to show how much it moves on its own. Where
 * sessions share one server, as many sessions are opened and closed first, unmeasured (see {@link #measure}). A target
 * that starts a server process per session (supergateway) gets {@value #PER_PROCESS} sessions, not 1,000 (a thousand
 * JVMs do not fit on the machine), and its figure is extrapolated linearly from them, which is what a process per
 * session costs. The sessions are closed again ({@code DELETE}) afterwards.
 */
final class SessionMemory {
  /** Sessions opened behind a target that starts a server process for each. */
  static final int PER_PROCESS = 8;

  /**
   * What opening the sessions cost.
   *
   * @param opened sessions opened
   * @param before the tree with the sessions the target had already (the load table's)
   * @param after the tree with {@code opened} more sessions
   * @param idleDrift how the tree changed in the second before, with no session opened: the noise floor (a garbage
   *     collection, lazily touched pages)
   */
  record Result(String target, int opened, ProcessTree.Memory before, ProcessTree.Memory after,
      ProcessTree.Memory idleDrift) {
    /** Bytes of PSS per 1,000 sessions (extrapolated when fewer were opened). */
    double pssPer1000() {
      return (after.pssBytes() - before.pssBytes()) * 1000.0 / opened;
    }

    double rssPer1000() {
      return (after.rssBytes() - before.rssBytes()) * 1000.0 / opened;
    }

    String describe() {
      String scale = opened == 1000 ? "" : String.format(Locale.ROOT, " (extrapolated from %d sessions)", opened);
      return String.format(Locale.ROOT, "PSS %+.1f MB, RSS %+.1f MB%s; process tree %d → %d processes, PSS %.1f →"
          + " %.1f MB (idle drift in the second before: PSS %+.1f MB)", mb(pssPer1000()), mb(rssPer1000()), scale,
          before.processes(), after.processes(), mb(before.pssBytes()), mb(after.pssBytes()),
          mb(idleDrift.pssBytes()));
    }
  }

  private SessionMemory() {}

  /** Sessions to open: {@code sessions}, or {@value #PER_PROCESS} when each starts a server process. */
  static int toOpen(int sessions, boolean processPerSession) {
    return processPerSession ? Math.min(sessions, PER_PROCESS) : sessions;
  }

  /**
   * Opens {@code n} sessions at {@code target}, measuring the process tree under {@code root} before and after. With
   * {@code prime}, {@code n} sessions are first opened and closed unmeasured, so that the heap pages the garbage of
   * opening them touches (a JVM's or V8's heap grows and keeps its pages) are resident before the first reading and
   * the difference is closer to what the open sessions hold.
   */
  static Result measure(HttpClient http, McpClient.Target target, ProcessHandle root, int n, boolean prime)
      throws Exception {
    McpClient client = McpClient.open(http, target, 0);
    if (prime) {
      close(http, target, open(client, n));
    }
    ProcessTree.Memory idle = ProcessTree.memory(root);
    Thread.sleep(1000);
    ProcessTree.Memory before = ProcessTree.memory(root);
    List<String> ids = open(client, n);
    Thread.sleep(1000);
    ProcessTree.Memory after = ProcessTree.memory(root);
    close(http, target, ids);
    return new Result(target.name(), n, before, after, before.minus(idle));
  }

  private static List<String> open(McpClient client, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<String>> opening = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        opening.add(pool.submit(client::initialize));
      }
      for (Future<String> f : opening) {
        ids.add(f.get());
      }
    }
    return ids;
  }

  private static void close(HttpClient http, McpClient.Target target, List<String> ids) {
    for (String id : ids) {
      try {
        http.newRequest(target.url()).method(HttpMethod.DELETE).headers(h -> {
          h.put("Mcp-Session-Id", id).put("MCP-Protocol-Version", McpClient.Wire.V2025.version);
          if (target.bearer() != null) {
            h.put("Authorization", "Bearer " + target.bearer());
          }
        }).send();
      } catch (Exception e) {
        // closing is best effort: the sessions go with the process at the end of the run
      }
    }
  }

  private static double mb(double bytes) {
    return bytes / 1_048_576.0;
  }
}
