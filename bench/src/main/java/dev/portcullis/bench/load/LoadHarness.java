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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway-overhead table: the MCP conformance fixture (upstream) and Portcullis (policy and SQLite audit on), each
 * in its own JVM, driven over Streamable HTTP with {@code tools/call} of the fixture's cheapest tool, side by side in
 * one run: directly (the floor on this machine) and through Portcullis, on the 2026 and the 2025 wire; at fixed rates
 * (open loop, coordinated-omission-aware) and at fixed concurrency (closed loop). Also measures start-up time, memory
 * per 1,000 sessions, and optionally records a JFR profile and a Linux perf profile ({@link PerfProfile}) of the
 * gateway under load, and what each kind of thread costs a lone call ({@link ThreadCosts}).
 *
 * <p>{@code LoadHarness [--out DIR] [--seconds S] [--rates 500,1000,2000] [--clients 1,4,16] [--rounds N]
 * [--sessions 1000] [--profile-seconds S] [--perf-seconds S] [--thread-seconds S] [--syscall-seconds S]
 * [--warmup-seconds 4] [--settle-max-seconds 30] [--variants true] [--stdio true]}
 * (defaults: 4 s per cell, one round, 4 s of warm-up per target and then until the JIT settles ({@link JitSettle});
 * {@code bench/run.sh} shortens them to stay under ten minutes, {@code bench/run.sh --full} keeps them for three
 * rounds)
 *
 * <p>Besides the gateway as {@code portcullis serve} runs it (the default audit durability {@code process_crash}, a
 * per-call token minted for every call), a second gateway whose upstream is configured with {@code call_token: none}
 * runs in the table as {@code portcullis-2026-notoken}, to show what signing the per-call token costs, and a bare
 * {@link Relay} (the same Jetty server and client, no Portcullis work) as {@code relay-2026}, the floor of any gateway
 * built this way, and a {@link SocketRelay} (blocking sockets, no HTTP library) as {@code socket-relay-2026}, the
 * floor of any relay on this machine. With {@code --stdio true} (the default) the same fixture also runs as a stdio
 * server ({@link StdioUpstream}) behind three more targets, each on both wires ({@link StdioTargets}):
 * {@code portcullis-stdio} (a third gateway with that server as its upstream), and the plain proxies a user might pick
 * instead, {@code mcp-proxy} and {@code supergateway --stateful} ({@link NodeProxy}); their memory per 1,000 sessions
 * is measured on their process trees after the table ({@link SessionMemory}). After the table, a 2026 client that
 * never echoes the session handle shows how the gateway copes with the sessions that piles up.
 */
public final class LoadHarness {
  /** What one run of the harness measured. */
  public record Results(List<RunResult> runs, Map<String, String> facts, Path chart, Path profile, Path perf,
      Path threads, Path syscalls) {}

  static final String GATEWAY_TOOL = "fixture." + McpClient.TOOL;
  /** Sessions each 2025-wire target's client opens and uses in turn. */
  static final int SESSIONS = 16;

  private final Options options;
  private final long started = System.nanoTime();

  private LoadHarness(Options options) {
    this.options = options;
  }

  record Options(Path out, Duration seconds, List<Integer> rates, List<Integer> clients, int rounds, int sessions,
      int profileSeconds, int perfSeconds, int threadSeconds, int syscallSeconds, Duration warmup, Duration settleMax, boolean variants,
      boolean stdio) {
    static Options parse(List<String> args) {
      Path out = Path.of("bench/results");
      Duration seconds = Duration.ofSeconds(4);
      List<Integer> rates = List.of(500, 1000, 2000);
      List<Integer> clients = List.of(1, 4, 16);
      int rounds = 1;
      int sessions = 1000;
      int profile = 0;
      int perf = 0;
      int threads = 0;
      int syscalls = 0;
      Duration warmup = Duration.ofSeconds(4);
      Duration settleMax = Duration.ofSeconds(30);
      boolean variants = true;
      boolean stdio = true;
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
          case "--perf-seconds" -> perf = Integer.parseInt(value);
          case "--thread-seconds" -> threads = Integer.parseInt(value);
          case "--syscall-seconds" -> syscalls = Integer.parseInt(value);
          case "--variants" -> variants = Boolean.parseBoolean(value);
          case "--stdio" -> stdio = Boolean.parseBoolean(value);
          case "--warmup-seconds" -> warmup = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
          case "--settle-max-seconds" -> settleMax = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
          default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "'; LoadHarness takes --out"
              + " DIR --seconds S --rates A,B --clients A,B --rounds N --sessions N --profile-seconds S"
              + " --perf-seconds S --thread-seconds S --syscall-seconds S --warmup-seconds S --settle-max-seconds S --variants true|false"
              + " --stdio true|false");
        }
        i++;
      }
      return new Options(out, seconds, rates, clients, rounds, sessions, profile, perf, threads, syscalls, warmup,
          settleMax,
          variants, stdio);
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
    Map<String, String> facts = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    List<RunResult> results = new ArrayList<>();
    Path profile = null;
    Path perf = null;
    Path threads = null;
    Path syscalls = null;
    NodeProxy.Install install = NodeProxy.Install.find();
    if (options.stdio()) {
      install.problem().ifPresent(p -> {
        throw new IllegalStateException(p + "; or leave the stdio targets out with --stdio false");
      });
    }
    progress("starting the upstream fixture and the gateways (separate JVMs: " + String.join(" ", ChildJvm.JVM_FLAGS)
        + (ChildJvm.extraFlags().isEmpty() ? "" : " " + String.join(" ", ChildJvm.extraFlags()))
        + ")");
    ApiKeys.NewKey key = ApiKeys.create("bench");
    Path policy = work.resolve("policy.yaml");
    Path stdioPolicy = work.resolve("policy-stdio.yaml");
    Files.writeString(stdioPolicy, stdioPolicy(key.yamlEntry()));
    Path noTokenPolicy = work.resolve("policy-no-token.yaml");
    Path noTokenDir = Files.createDirectories(work.resolve("no-token"));
    Path stdioDir = Files.createDirectories(work.resolve("stdio"));
    try (Closer closer = new Closer()) {
      ChildJvm fixture = closer.add(ChildJvm.start("fixture", GatewayMain.class.getName(), List.of("fixture"),
          out.resolve("fixture.log")));
      Files.writeString(policy, policy(fixture.url().toString(), key.yamlEntry()));
      Files.writeString(noTokenPolicy, policyWith("{ url: \"" + fixture.url() + "\", wire: auto, call_token: none }",
          key.yamlEntry()));
      ChildJvm gateway = closer.add(ChildJvm.start("gateway", GatewayMain.class.getName(),
          List.of("gateway", policy.toString(), work.toString()), out.resolve("gateway.log")));
      ChildJvm noTokenGateway = closer.add(ChildJvm.start("gateway-no-token", GatewayMain.class.getName(),
          List.of("gateway", noTokenPolicy.toString(), noTokenDir.toString()), out.resolve("gateway-no-token.log")));
      ChildJvm relay = closer.add(ChildJvm.start("relay", GatewayMain.class.getName(),
          List.of("relay", fixture.url().toString()), out.resolve("relay.log")));
      ChildJvm socketRelay = closer.add(ChildJvm.start("socket-relay", GatewayMain.class.getName(),
          List.of("socket-relay", fixture.url().toString()), out.resolve("socket-relay.log")));
      HttpClient http = httpClient();
      closer.add(http::stop);
      facts.put("fixture start-up (JVM launch to listening)", millis(fixture.startup()));
      facts.put("gateway start-up (JVM launch to listening)", millis(gateway.startup()));
      progress("fixture listening at " + fixture.url() + " after " + millis(fixture.startup())
          + "; gateway at " + gateway.url() + " after " + millis(gateway.startup()));
      // the stdio targets start (16 JVMs behind supergateway) while the memory of the first gateway is measured
      CompletableFuture<Optional<StdioTargets>> stdioStarting = !options.stdio()
          ? CompletableFuture.completedFuture(Optional.empty())
          : CompletableFuture.supplyAsync(() -> {
            try {
              return Optional.of(StdioTargets.start(closer, http, install, stdioPolicy, stdioDir, key.plaintext(), out,
                  facts, this::progress));
            } catch (Exception e) {
              throw new CompletionException(e);
            }
          });
      try {
        memory(http, gateway, fixture, key.plaintext(), facts);
      } finally {
        stdioStarting.exceptionally(e -> Optional.empty()).join(); // what it started is in the closer before we go on
      }
      List<Lane> lanes = new ArrayList<>(List.of(
          Lane.direct(McpClient.open(http, new McpClient.Target("direct-2026", fixture.url(), McpClient.Wire.V2026,
              McpClient.TOOL, null, false), 0), fixture),
          Lane.gateway(McpClient.open(http, new McpClient.Target("portcullis-2026", gateway.url(),
              McpClient.Wire.V2026, GATEWAY_TOOL, key.plaintext(), true), 0), gateway, fixture),
          Lane.direct(McpClient.open(http, new McpClient.Target("direct-2025", fixture.url(), McpClient.Wire.V2025,
              McpClient.TOOL, null, false), SESSIONS), fixture),
          Lane.gateway(McpClient.open(http, new McpClient.Target("portcullis-2025", gateway.url(),
              McpClient.Wire.V2025, GATEWAY_TOOL, key.plaintext(), false), SESSIONS), gateway, fixture),
          Lane.gateway(McpClient.open(http, new McpClient.Target("portcullis-2026-notoken", noTokenGateway.url(),
              McpClient.Wire.V2026, GATEWAY_TOOL, key.plaintext(), true), 0), noTokenGateway, fixture),
          Lane.gateway(McpClient.open(http, new McpClient.Target("relay-2026", relay.url(), McpClient.Wire.V2026,
              McpClient.TOOL, null, false), 0), relay, fixture),
          Lane.gateway(McpClient.open(http, new McpClient.Target("socket-relay-2026", socketRelay.url(),
              McpClient.Wire.V2026, McpClient.TOOL, null, false), 0), socketRelay, fixture)));
      Optional<StdioTargets> stdio = stdioStarting.join();
      stdio.ifPresent(s -> lanes.addAll(s.lanes()));
      Set<String> perCall = stdio.map(StdioTargets::processPerCall).orElse(Set.of());
      Map<String, Double> warmThroughput = new LinkedHashMap<>();
      for (Lane lane : List.copyOf(lanes)) {
        RunResult warm = ClosedLoop.run(lane.client(), 8, options.warmup());
        progress("warm-up " + warm.progressLine());
        if (warm.errors() > 0 && lane.name().endsWith("-2026") && lane.jvm().isEmpty()) {
          // a plain proxy on the 2026 wire that passed the wire check but breaks under load: say so, go on without it
          lanes.remove(lane);
          facts.put(lane.name(), "not measured: " + warm.errors() + " of " + warm.completed() + " warm-up calls"
              + " (8 clients) were not answered with the tool's result; see " + out.resolve(lane.name()
              .replace("-2026", "") + ".log"));
          progress(lane.name() + " left out: " + facts.get(lane.name()));
          continue;
        }
        if (warm.errors() > 0) {
          throw new IllegalStateException(lane.name() + " answered " + warm.errors() + " of " + warm.completed()
              + " warm-up calls wrongly; see the logs in " + out);
        }
        warmThroughput.put(lane.name(), warm.throughput());
        JitSettle.Outcome settled = JitSettle.warm(lane, options.settleMax());
        if (!lane.jitted().isEmpty()) {
          facts.put("warm-up of " + lane.name(), settled.describe());
          progress("warm-up " + lane.name() + ": " + settled.describe());
        }
      }
      for (int round = 1; round <= options.rounds(); round++) {
        for (int rate : options.rates()) {
          for (Lane lane : lanes) {
            Optional<String> skip = RateLimit.skip(lane.name(), rate, warmThroughput.get(lane.name()),
                perCall.contains(lane.name()));
            if (skip.isPresent()) {
              facts.putIfAbsent(lane.name() + " at " + rate + " calls/s", skip.get());
              progress("round " + round + "  " + lane.name() + " at " + rate + " calls/s: " + skip.get());
              continue;
            }
            RunResult r = lane.measured(() -> OpenLoop.run(lane.client(), rate, options.seconds()));
            results.add(r);
            progress("round " + round + "  " + r.progressLine());
            Thread.sleep(300);
          }
        }
        for (int clients : options.clients()) {
          for (Lane lane : lanes) {
            RunResult r = lane.measured(() -> ClosedLoop.run(lane.client(), clients, options.seconds()));
            results.add(r);
            progress("round " + round + "  " + r.progressLine());
            Thread.sleep(300);
          }
        }
      }
      facts.put("gateway sessions at the end (2026 handles echoed, 16 sessions on 2025)",
          gateway.ask("sessions", "SESSIONS ", Duration.ofSeconds(10)));
      if (stdio.isPresent()) {
        stdio.get().measureMemory(http, options.sessions(), facts, this::progress);
      }
      if (options.profileSeconds() > 0) {
        profile = profile(gateway, lanes.get(1).client(), out);
      }
      if (options.perfSeconds() > 0) {
        perf = perf(gateway, lanes.get(1).client(), out);
      }
      if (options.threadSeconds() > 0) {
        threads = threads(lanes.get(0), lanes.get(1), gateway, fixture, out);
      }
      if (options.syscallSeconds() > 0) {
        syscalls = syscalls(lanes, out);
      }
      if (options.variants()) {
        sessionGrowth(http, gateway, fixture, key.plaintext(), facts);
      }
    }
    List<RunResult> table = Report.medians(results);
    Files.writeString(out.resolve("load.csv"), RunResult.csvHeader() + "\n"
        + String.join("\n", table.stream().map(RunResult::csv).toList()) + "\n");
    Path chart = out.resolve("latency-vs-load.png");
    Chart.draw(table, chart);
    Files.writeString(out.resolve("load.md"), Report.markdown(table, facts));
    progress("wrote " + out.resolve("load.md") + ", load.csv and " + chart.getFileName());
    return new Results(table, facts, chart, profile, perf, threads, syscalls);
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
      RunResult r = Lane.gateway(plain, gateway, fixture).measured(() -> ClosedLoop.run(plain, 16,
          options.seconds()));
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

  /** The perf step: the gateway JVM recorded by Linux perf under the same 16-client load as the JFR profile. */
  private Path perf(ChildJvm gateway, McpClient target, Path out) throws Exception {
    Duration length = Duration.ofSeconds(options.perfSeconds());
    progress("recording the gateway with perf for " + length.toSeconds() + " s at 16 clients ...");
    PerfProfile.Outcome outcome = PerfProfile.record(gateway.handle().pid(), length, out, () -> {
      RunResult r = ClosedLoop.run(target, 16, length);
      progress("perf load " + r.progressLine());
      return r;
    });
    Path summary = out.resolve("perf.md");
    Files.writeString(summary, outcome.markdown());
    progress(outcome instanceof PerfProfile.Recorded ? "wrote " + summary : outcome.markdown().strip());
    return summary;
  }

  /**
   * The thread step: a lone client, direct and through the gateway, with what each kind of thread of the gateway and
   * of the fixture cost per call ({@link ThreadCosts}): the wake-ups and CPU behind the latency at low load.
   */
  private Path threads(Lane direct, Lane portcullis, ChildJvm gateway, ChildJvm fixture, Path out) throws Exception {
    Duration length = Duration.ofSeconds(options.threadSeconds());
    StringBuilder md = new StringBuilder();
    for (Lane lane : List.of(direct, portcullis)) {
      Map<String, ThreadCosts.Counters> gateway0 = ThreadCosts.read(gateway.handle());
      Map<String, ThreadCosts.Counters> fixture0 = ThreadCosts.read(fixture.handle());
      RunResult r = ClosedLoop.run(lane.client(), 1, length);
      Map<String, ThreadCosts.Counters> gateway1 = ThreadCosts.read(gateway.handle());
      Map<String, ThreadCosts.Counters> fixture1 = ThreadCosts.read(fixture.handle());
      progress("threads " + r.progressLine());
      md.append(String.format(java.util.Locale.ROOT, "%s, 1 client for %d s: %d calls, p50 %.0f µs.%n%n", lane.name(),
          length.toSeconds(), r.completed(), r.p50()));
      if (lane == portcullis) {
        md.append(ThreadCosts.markdown("The gateway's threads, per call",
            ThreadCosts.perCall(gateway0, gateway1, r.completed())));
      }
      md.append(ThreadCosts.markdown("The fixture's threads, per call",
          ThreadCosts.perCall(fixture0, fixture1, r.completed())));
    }
    Path summary = out.resolve("threads.md");
    Files.writeString(summary, md.toString());
    progress("wrote " + summary);
    return summary;
  }

  /**
   * The syscall step: the process in the middle of the gateway lane, the token-less gateway and both relays, each
   * traced by {@link SyscallCounts} under the same 16-client load.
   */
  private Path syscalls(List<Lane> lanes, Path out) throws Exception {
    Duration length = Duration.ofSeconds(options.syscallSeconds());
    List<SyscallCounts.PerCall> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Lane lane : lanes) {
      if (!SYSCALL_LANES.contains(lane.name()) || lane.middle().isEmpty()) {
        continue;
      }
      ClosedLoop.run(lane.client(), 16, Duration.ofSeconds(2)); // its carriers exist before perf attaches
      SyscallCounts.Result result = SyscallCounts.count(lane.name(), lane.middle().get(), out,
          () -> ClosedLoop.run(lane.client(), 16, length));
      result.perCall().ifPresentOrElse(rows::add, () -> problems.add(lane.name() + ": " + result.problem()));
      progress("syscalls " + lane.name() + ": " + result.perCall().map(r -> String.format(java.util.Locale.ROOT,
          "%.1f system calls, %.2f context switches per call", r.syscalls(), r.contextSwitches()))
          .orElse(result.problem()));
    }
    Path summary = out.resolve("syscalls.md");
    Files.writeString(summary, (rows.isEmpty() ? "" : SyscallCounts.markdown(rows, 16, length))
        + (problems.isEmpty() ? "" : "\nNot counted: " + String.join("; ", problems) + "\n"));
    progress("wrote " + summary);
    return summary;
  }

  /** The lanes the syscall step traces: Portcullis with and without the token, and the two bare relays. */
  static final List<String> SYSCALL_LANES = List.of("portcullis-2026", "portcullis-2026-notoken", Report.RELAY,
      Report.SOCKET_RELAY);

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
    return policyWith("{ url: \"" + upstreamUrl + "\", wire: auto }", keyEntry);
  }

  /** The same policy with the stdio server ({@link StdioUpstream}) as the upstream. */
  static String stdioPolicy(String keyEntry) {
    return policyWith("{ command: " + StdioUpstream.yamlCommand() + " }", keyEntry);
  }

  private static String policyWith(String upstream, String keyEntry) {
    return """
        version: 1
        upstreams:
          fixture: %s
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
        """.formatted(upstream, keyEntry, McpClient.TOOL);
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
