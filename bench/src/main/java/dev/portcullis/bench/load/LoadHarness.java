package dev.portcullis.bench.load;

import dev.portcullis.keys.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway-overhead table: the MCP conformance fixture (upstream) and Portcullis (policy and SQLite audit on), each
 * in its own JVM, driven over Streamable HTTP with {@code tools/call} of the fixture's cheapest tool, side by side in
 * one run: directly (the floor on this machine) and through Portcullis, on the 2026 and the 2025 wire; at fixed rates
 * (open loop, coordinated-omission-aware) and at fixed concurrency (closed loop). Also measures start-up time, memory
 * per 1,000 sessions, and optionally records a JFR profile of the gateway under load.
 *
 * <p>{@code LoadHarness [--out DIR] [--seconds S] [--rates 500,1000,2000] [--clients 1,4,16] [--rounds N]
 * [--sessions 1000] [--profile-seconds S] [--warmup-seconds 10] [--variants true]}
 *
 * <p>Besides the gateway as {@code portcullis serve} runs it (audit durability {@code POWER_LOSS}: an fsync per group
 * commit), a second gateway whose audit log syncs only at checkpoints ({@code PROCESS_CRASH}) runs in the table as
 * {@code portcullis-2026-nofsync}. After the table, a 2026 client that never echoes the session handle shows how
 * the gateway copes with the sessions that piles up.
 */
public final class LoadHarness {
  /** What one run of the harness measured. */
  public record Results(List<RunResult> runs, Map<String, String> facts, Path chart, Path profile) {}

  static final String GATEWAY_TOOL = "fixture." + McpClient.TOOL;

  private final Options options;
  private final long started = System.nanoTime();

  private LoadHarness(Options options) {
    this.options = options;
  }

  record Options(Path out, Duration seconds, List<Integer> rates, List<Integer> clients, int rounds, int sessions,
      int profileSeconds, Duration warmup, boolean variants) {
    static Options parse(List<String> args) {
      Path out = Path.of("bench/results");
      Duration seconds = Duration.ofSeconds(5);
      List<Integer> rates = List.of(500, 1000, 2000);
      List<Integer> clients = List.of(1, 4, 16);
      int rounds = 1;
      int sessions = 1000;
      int profile = 0;
      Duration warmup = Duration.ofSeconds(10);
      boolean variants = true;
      for (int i = 0; i < args.size(); i++) {
        String value = i + 1 < args.size() ? args.get(i + 1) : null;
        switch (args.get(i)) {
          case "--out" -> out = Path.of(value);
          case "--seconds" -> seconds = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
          case "--rates" -> rates = ints(value);
          case "--clients" -> clients = ints(value);
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--sessions" -> sessions = Integer.parseInt(value);
          case "--profile-seconds" -> profile = Integer.parseInt(value);
          case "--variants" -> variants = Boolean.parseBoolean(value);
          case "--warmup-seconds" -> warmup = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
          default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "'; LoadHarness takes --out"
              + " DIR --seconds S --rates A,B --clients A,B --rounds N --sessions N --profile-seconds S"
              + " --warmup-seconds S --variants true|false");
        }
        i++;
      }
      return new Options(out, seconds, rates, clients, rounds, sessions, profile, warmup, variants);
    }

    private static List<Integer> ints(String csv) {
      return Arrays.stream(csv.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }
  }

  public static void main(String[] args) throws Exception {
    run(List.of(args));
  }

  /** Runs the whole table with these command-line options and writes CSV, Markdown and the chart to the out dir. */
  public static Results run(List<String> args) throws Exception {
    return new LoadHarness(Options.parse(args)).run();
  }

  private Results run() throws Exception {
    Path out = Files.createDirectories(options.out().toAbsolutePath());
    Path work = Files.createTempDirectory("portcullis-load");
    Map<String, String> facts = new LinkedHashMap<>();
    List<RunResult> results = new ArrayList<>();
    Path profile = null;
    progress("starting the upstream fixture and the gateway (separate JVMs: " + String.join(" ", ChildJvm.JVM_FLAGS)
        + ")");
    try (ChildJvm fixture = ChildJvm.start("fixture", GatewayMain.class.getName(), List.of("fixture"),
        out.resolve("fixture.log"))) {
      ApiKeys.NewKey key = ApiKeys.create("bench");
      Path policy = work.resolve("policy.yaml");
      Files.writeString(policy, policy(fixture.url().toString(), key.yamlEntry()));
      Path lazyDir = Files.createDirectories(work.resolve("process-crash"));
      try (ChildJvm gateway = ChildJvm.start("gateway", GatewayMain.class.getName(),
          List.of("gateway", policy.toString(), work.toString()), out.resolve("gateway.log"));
          ChildJvm lazyGateway = ChildJvm.start("gateway-process-crash", GatewayMain.class.getName(),
              List.of("gateway", policy.toString(), lazyDir.toString(), "PROCESS_CRASH"),
              out.resolve("gateway-process-crash.log"));
          HttpClient http = httpClient()) {
        facts.put("fixture start-up (JVM launch to listening)", millis(fixture.startup()));
        facts.put("gateway start-up (JVM launch to listening)", millis(gateway.startup()));
        progress("fixture listening at " + fixture.url() + " after " + millis(fixture.startup())
            + "; gateway at " + gateway.url() + " after " + millis(gateway.startup()));
        memory(http, gateway, fixture, key.plaintext(), facts);
        List<McpClient> targets = List.of(
            McpClient.open(http, new McpClient.Target("direct-2026", fixture.url(), McpClient.Wire.V2026,
                McpClient.TOOL, null, false), 0),
            McpClient.open(http, new McpClient.Target("portcullis-2026", gateway.url(), McpClient.Wire.V2026,
                GATEWAY_TOOL, key.plaintext(), true), 0),
            McpClient.open(http, new McpClient.Target("direct-2025", fixture.url(), McpClient.Wire.V2025,
                McpClient.TOOL, null, false), 16),
            McpClient.open(http, new McpClient.Target("portcullis-2025", gateway.url(), McpClient.Wire.V2025,
                GATEWAY_TOOL, key.plaintext(), false), 16),
            McpClient.open(http, new McpClient.Target("portcullis-2026-nofsync", lazyGateway.url(),
                McpClient.Wire.V2026, GATEWAY_TOOL, key.plaintext(), true), 0));
        for (McpClient target : targets) {
          RunResult warm = ClosedLoop.run(target, 8, options.warmup());
          progress("warm-up " + warm.progressLine());
          if (warm.errors() > 0) {
            throw new IllegalStateException(target.target().name() + " answered " + warm.errors() + " of "
                + warm.completed() + " warm-up calls wrongly; see " + out.resolve("gateway.log"));
          }
        }
        for (int round = 1; round <= options.rounds(); round++) {
          for (int rate : options.rates()) {
            for (McpClient target : targets) {
              ChildJvm measuredGateway = target.target().url().equals(lazyGateway.url()) ? lazyGateway : gateway;
              RunResult r = measured(measuredGateway, fixture, () -> OpenLoop.run(target, rate, options.seconds()));
              results.add(r);
              progress("round " + round + "  " + r.progressLine());
              Thread.sleep(300);
            }
          }
          for (int clients : options.clients()) {
            for (McpClient target : targets) {
              ChildJvm measuredGateway = target.target().url().equals(lazyGateway.url()) ? lazyGateway : gateway;
              RunResult r = measured(measuredGateway, fixture, () -> ClosedLoop.run(target, clients,
                  options.seconds()));
              results.add(r);
              progress("round " + round + "  " + r.progressLine());
              Thread.sleep(300);
            }
          }
        }
        facts.put("gateway sessions at the end (2026 handles echoed, 16 sessions on 2025)",
            gateway.ask("sessions", "SESSIONS ", Duration.ofSeconds(10)));
        if (options.profileSeconds() > 0) {
          profile = profile(gateway, targets.get(1), out);
        }
        if (options.variants()) {
          sessionGrowth(http, gateway, fixture, key.plaintext(), facts);
        }
      }
    }
    List<RunResult> table = Report.medians(results);
    Files.writeString(out.resolve("load.csv"), RunResult.csvHeader() + "\n"
        + String.join("\n", table.stream().map(RunResult::csv).toList()) + "\n");
    Path chart = out.resolve("latency-vs-load.png");
    Chart.draw(table, chart);
    Files.writeString(out.resolve("load.md"), Report.markdown(table, facts));
    progress("wrote " + out.resolve("load.md") + ", load.csv and " + chart.getFileName());
    return new Results(table, facts, chart, profile);
  }

  /** A run that can be interrupted. */
  private interface Run {
    RunResult run() throws InterruptedException;
  }

  private static RunResult measured(ChildJvm gateway, ChildJvm fixture, Run run) throws InterruptedException {
    long[] before = stats(gateway);
    long gw = gateway.cpuNanos();
    long fx = fixture.cpuNanos();
    RunResult r = run.run();
    long gwCpu = gateway.cpuNanos() - gw;
    long fxCpu = fixture.cpuNanos() - fx;
    long[] after = stats(gateway);
    return r.withCosts(gwCpu, fxCpu, after[0] - before[0], after[1] - before[1]);
  }

  /** Bytes allocated and GC milliseconds of a child since it started. */
  private static long[] stats(ChildJvm child) {
    String[] parts = child.ask("stats", "STATS ", Duration.ofSeconds(30)).split(" ");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }

  /**
   * A 2026 client that never echoes the session handle (as generic SDK clients do): every call opens a Portcullis
   * session. Throughput in consecutive windows, with the number of live sessions after each.
   */
  private void sessionGrowth(HttpClient http, ChildJvm gateway, ChildJvm fixture, String key,
      Map<String, String> facts) throws Exception {
    McpClient plain = McpClient.open(http, new McpClient.Target("portcullis-2026-nohandle", gateway.url(),
        McpClient.Wire.V2026, GATEWAY_TOOL, key, false), 0);
    List<String> windows = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      RunResult r = measured(gateway, fixture, () -> ClosedLoop.run(plain, 16, options.seconds()));
      String sessions = gateway.ask("sessions", "SESSIONS ", Duration.ofSeconds(10));
      windows.add(String.format(java.util.Locale.ROOT, "%.0f calls/s (%.0f µs CPU/call) then %s sessions",
          r.throughput(), r.gatewayCpu(), sessions));
      progress("variant " + r.progressLine() + "; gateway sessions " + sessions);
    }
    facts.put("2026 client without the session handle, 16 clients, consecutive windows", String.join("; ", windows));
  }

  /** Heap of the gateway (and the fixture) before and after 1,000 sessions. */
  private void memory(HttpClient http, ChildJvm gateway, ChildJvm fixture, String key, Map<String, String> facts)
      throws Exception {
    int n = options.sessions();
    long before = heap(gateway);
    McpClient legacy = McpClient.open(http, new McpClient.Target("sessions", gateway.url(), McpClient.Wire.V2025,
        GATEWAY_TOOL, key, false), 0);
    for (int i = 0; i < n; i++) {
      legacy.initialize();
    }
    long after = heap(gateway);
    facts.put("gateway heap after start-up (after full GC)", mb(before));
    facts.put("gateway heap per 1,000 open 2025 sessions", mb((after - before) * 1000 / n));
    McpClient stateless = McpClient.open(http, new McpClient.Target("sessions", gateway.url(), McpClient.Wire.V2026,
        GATEWAY_TOOL, key, false), 0);
    for (int i = 0; i < n; i++) {
      stateless.callWithoutHandle();
    }
    long afterStateless = heap(gateway);
    facts.put("gateway heap per 1,000 2026 calls that drop the session handle (each opens a session)",
        mb((afterStateless - after) * 1000 / n));
    long fixtureBefore = heap(fixture);
    McpClient direct = McpClient.open(http, new McpClient.Target("sessions", fixture.url(), McpClient.Wire.V2025, McpClient.TOOL,
        null, false), 0);
    for (int i = 0; i < n; i++) {
      direct.initialize();
    }
    facts.put("fixture heap per 1,000 open 2025 sessions (for scale)", mb((heap(fixture) - fixtureBefore) * 1000 / n));
    progress("memory: " + facts);
  }

  private Path profile(ChildJvm gateway, McpClient target, Path out) throws Exception {
    Path file = out.resolve("gateway-profile.jfr");
    gateway.ask("profile-start", "PROFILING", Duration.ofSeconds(30));
    RunResult r = ClosedLoop.run(target, 16, Duration.ofSeconds(options.profileSeconds()));
    gateway.ask("profile-stop " + file, "PROFILE ", Duration.ofSeconds(60));
    progress("profiled " + r.progressLine());
    Path summary = out.resolve("profile.md");
    Files.writeString(summary, Profile.summarize(file, r));
    progress("wrote " + summary);
    return summary;
  }

  private static long heap(ChildJvm child) {
    return Long.parseLong(child.ask("heap", "HEAP ", Duration.ofSeconds(60)));
  }

  private static HttpClient httpClient() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(64);
    pool.setName("load-client");
    pool.setDaemon(true);
    HttpClient http = new HttpClient();
    http.setExecutor(pool);
    http.setMaxConnectionsPerDestination(256);
    http.setMaxRequestsQueuedPerDestination(1 << 20);
    http.setIdleTimeout(120_000);
    http.setFollowRedirects(false);
    http.start();
    return http;
  }

  static String policy(String upstreamUrl, String keyEntry) {
    return """
        version: 1
        upstreams:
          fixture: { url: "%s", wire: auto }
        agents:
          bench:
            description: The load generator.
            roles: [caller]
            keys: [ %s ]
        roles:
          caller:
            grants:
              - id: simple-text
                description: The load generator may call the fixture's cheapest tool.
                tools: [fixture.%s]
        """.formatted(upstreamUrl, keyEntry, McpClient.TOOL);
  }

  private void progress(String message) {
    System.out.printf("[load %5.0fs] %s%n", (System.nanoTime() - started) / 1e9, message);
    System.out.flush();
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.2f MB", bytes / 1_048_576.0);
  }
}
