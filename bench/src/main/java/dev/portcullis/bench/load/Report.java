package dev.portcullis.bench.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** The load table as Markdown: raw numbers per target, and what Portcullis adds over the direct call on each wire. */
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

  static String markdown(List<RunResult> table, Map<String, String> facts) {
    StringBuilder md = new StringBuilder();
    md.append("| mode | load | target | p50 µs | p99 µs | p99.9 µs | calls/s | gateway CPU µs/call | gateway KB/call"
        + " | fixture CPU µs/call | errors |\n");
    md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    table.stream().sorted(Comparator.comparing(RunResult::mode).reversed().thenComparingInt(RunResult::level))
        .forEach(r -> md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %.0f | %d |%n",
            r.mode().equals("rate") ? "fixed rate" : "fixed clients", r.level(), r.target(), r.p50(), r.p99(),
            r.p999(), r.throughput(), r.target().startsWith("portcullis") ? String.format(Locale.ROOT, "%.0f",
                r.gatewayCpu()) : "–", r.target().startsWith("portcullis") ? String.format(Locale.ROOT, "%.1f",
                r.gatewayAlloc()) : "–", r.fixtureCpu(), r.errors())));
    md.append("\nAdded by Portcullis (gateway minus direct, same wire, same load):\n\n");
    md.append("| mode | load | wire | added p50 µs | added p99 µs | throughput kept |\n");
    md.append("| --- | ---: | --- | ---: | ---: | ---: |\n");
    for (RunResult gw : table) {
      if (!gw.target().startsWith("portcullis-")) {
        continue;
      }
      String wire = gw.target().contains("2025") ? "2025" : "2026";
      String variant = gw.target().substring("portcullis-".length());
      Optional<RunResult> direct = table.stream().filter(d -> d.target().equals("direct-" + wire)
          && d.mode().equals(gw.mode()) && d.level() == gw.level()).findFirst();
      direct.ifPresent(d -> md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f%% |%n",
          gw.mode().equals("rate") ? "fixed rate" : "fixed clients", gw.level(), variant, gw.p50() - d.p50(),
          gw.p99() - d.p99(), 100 * gw.throughput() / d.throughput())));
    }
    if (!facts.isEmpty()) {
      md.append("\n| fact | value |\n| --- | --- |\n");
      facts.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    }
    return md.toString();
  }
}
