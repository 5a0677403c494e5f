package dev.portcullis.bench.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The load table as Markdown: raw numbers per target, what Portcullis adds over the direct call on each wire, and
 * Portcullis against the plain proxies in front of the same stdio server.
 */
final class Report {
  private Report() {}

  /** One row per target, mode and level: the median of each number over the rounds. */
  static List<RunResult> medians(List<RunResult> runs) {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    runs.forEach(r -> groups.computeIfAbsent(r.target() + "|" + r.mode() + "|" + r.level(), k -> new ArrayList<>())
        .add(r));
    List<RunResult> out = new ArrayList<>();
    for (List<RunResult> g : groups.values()) {
      RunResult first = g.get(0);
      out.add(new RunResult(first.target(), first.mode(), first.level(),
          (int) median(g, RunResult::completed), (int) median(g, RunResult::errors), median(g, RunResult::p50),
          median(g, RunResult::p99), median(g, RunResult::p999), median(g, RunResult::max),
          median(g, RunResult::throughput), median(g, RunResult::gatewayCpu), median(g, RunResult::fixtureCpu),
          median(g, RunResult::gatewayAlloc), median(g, RunResult::gatewayGc)));
    }
    return out;
  }

  private static double median(List<RunResult> g, ToDoubleFunction<RunResult> f) {
    double[] v = g.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The bare Jetty relay ({@link Relay}): the floor of an HTTP-in, HTTP-out gateway built on Jetty here. */
  static final String RELAY = "relay-2026";
  /** The bare socket relay ({@link SocketRelay}): no HTTP library, the floor of any relay on this machine. */
  static final String SOCKET_RELAY = "socket-relay-2026";

  /** The targets in front of the stdio server, compared in their own table (2025 wire, then 2026-07-28). */
  static final List<String> STDIO_TARGETS = List.of("portcullis-stdio", "mcp-proxy", "supergateway",
      "portcullis-stdio-2026", "mcp-proxy-2026", "supergateway-2026");

  static String markdown(List<RunResult> table, Map<String, String> facts) {
    StringBuilder md = new StringBuilder();
    md.append("| mode | load | target | p50 µs | p99 µs | p99.9 µs | calls/s | proxy CPU µs/call | proxy KB/call"
        + " | upstream CPU µs/call | errors |\n");
    md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    table.stream().sorted(Comparator.comparing(RunResult::mode).reversed().thenComparingInt(RunResult::level))
        .forEach(r -> md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %s | %s | %s | %.0f | %d |%n",
            mode(r), r.level(), r.target(), r.p50(), r.p99(), r.p999(), rate(r.throughput()),
            r.target().startsWith("direct") ? "–" : String.format(Locale.ROOT, "%.0f", r.gatewayCpu()),
            r.target().startsWith("portcullis") ? String.format(Locale.ROOT, "%.1f", r.gatewayAlloc()) : "–",
            r.fixtureCpu(), r.errors())));
    md.append("\n\"proxy\" is the process between the client and the upstream: Portcullis, or the plain proxy's Node"
        + " process; \"upstream\" is the fixture's JVM, or every stdio server the proxy launched.\n");
    md.append("\nAdded by Portcullis (gateway minus direct, same wire, same load; HTTP upstream), and by the bare"
        + " relay (" + RELAY + ": the same Jetty server and client, no Portcullis work), whose cost every gateway"
        + " built this way pays; \"beyond the relay\" is what Portcullis' own work adds to it:\n\n");
    md.append("| mode | load | wire | added p50 µs | added p99 µs | throughput kept | p50 beyond the relay µs"
        + " | CPU beyond the relay µs/call |\n");
    md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (RunResult gw : table) {
      boolean relay = gw.target().equals(RELAY) || gw.target().equals(SOCKET_RELAY);
      if (!relay && (!gw.target().startsWith("portcullis-") || STDIO_TARGETS.contains(gw.target()))) {
        continue;
      }
      String wire = gw.target().contains("2025") ? "2025" : "2026";
      String variant = !relay ? gw.target().substring("portcullis-".length())
          : gw.target().equals(RELAY) ? "2026, bare relay" : "2026, bare socket relay";
      Optional<RunResult> direct = same(table, "direct-" + wire, gw);
      Optional<RunResult> floor = relay || !wire.equals("2026") ? Optional.empty() : same(table, RELAY, gw);
      direct.ifPresent(d -> md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f%% | %s | %s |%n",
          mode(gw), gw.level(), variant, gw.p50() - d.p50(), gw.p99() - d.p99(), 100 * gw.throughput() / d.throughput(),
          floor.map(f -> String.format(Locale.ROOT, "%.0f", gw.p50() - f.p50())).orElse("–"),
          floor.map(f -> String.format(Locale.ROOT, "%.0f", gw.gatewayCpu() - f.gatewayCpu())).orElse("–"))));
    }
    md.append(plainProxies(table));
    if (!facts.isEmpty()) {
      md.append("\n| fact | value |\n| --- | --- |\n");
      facts.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    }
    return md.toString();
  }

  /**
   * Portcullis against the plain proxies, all fronting the same stdio server, at 1,000 calls/s and 16 clients (the
   * levels the goals name), with each proxy's throughput and CPU per call relative to Portcullis' on the same wire.
   */
  static String plainProxies(List<RunResult> table) {
    List<RunResult> rows = table.stream().filter(r -> STDIO_TARGETS.contains(r.target()))
        .filter(r -> r.mode().equals("rate") && r.level() == 1000 || r.mode().equals("clients") && r.level() == 16)
        .sorted(Comparator.comparing(RunResult::mode).reversed()
            .thenComparingInt(r -> STDIO_TARGETS.indexOf(r.target())))
        .toList();
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\nPortcullis against the plain proxies (same stdio server; 2025 wire with "
        + LoadHarness.SESSIONS + " sessions, and the 2026-07-28 wire for the targets named -2026; Portcullis with"
        + " policy and audit on):\n\n");
    md.append("| mode | load | target | p50 µs | p99 µs | calls/s | proxy CPU µs/call | upstream CPU µs/call"
        + " | calls/s vs Portcullis | proxy CPU vs Portcullis |\n");
    md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (RunResult r : rows) {
      String baseline = r.target().endsWith("-2026") ? "portcullis-stdio-2026" : "portcullis-stdio";
      Optional<RunResult> ours = rows.stream().filter(o -> o.target().equals(baseline)
          && o.mode().equals(r.mode()) && o.level() == r.level()).findFirst();
      md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %s | %.0f | %.0f | %s | %s |%n", mode(r),
          r.level(), r.target(), r.p50(), r.p99(), rate(r.throughput()), r.gatewayCpu(), r.fixtureCpu(),
          ours.map(o -> ratio(r.throughput(), o.throughput())).orElse("–"),
          ours.map(o -> ratio(r.gatewayCpu(), o.gatewayCpu())).orElse("–")));
    }
    return md.toString();
  }

  /** The row of {@code target} measured in the same mode and at the same level as {@code row}. */
  private static Optional<RunResult> same(List<RunResult> table, String target, RunResult row) {
    return table.stream().filter(d -> d.target().equals(target) && d.mode().equals(row.mode())
        && d.level() == row.level()).findFirst();
  }

  /** Calls per second: whole numbers, with two decimals below 10 (a target that starts a process per call). */
  static String rate(double callsPerSecond) {
    return String.format(Locale.ROOT, callsPerSecond < 10 ? "%.2f" : "%.0f", callsPerSecond);
  }

  private static String ratio(double value, double base) {
    return base > 0 ? String.format(Locale.ROOT, value / base < 0.01 ? "%.4f×" : "%.2f×", value / base) : "–";
  }

  private static String mode(RunResult r) {
    return r.mode().equals("rate") ? "fixed rate" : "fixed clients";
  }
}
