package dev.portcullis.bench.run;

import dev.portcullis.bench.jmh.CedarFloorBenchmark;
import dev.portcullis.bench.jmh.DecisionBenchmark;
import dev.portcullis.bench.jmh.TokenBenchmark;
import dev.portcullis.bench.policy.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the JMH benchmarks one after the other (each in its own fork, with the GC profiler for allocation per
 * operation) and renders their sample-time distributions as Markdown, with the Portcullis/Cedar ratio.
 */
final class Microbenchmarks {
  /** One row of the table. */
  record Row(String name, long samples, double p50, double p99, double p999, double mean, double bytesPerOp) {}

  private Microbenchmarks() {}

  static String run(Path out, boolean quick) throws Exception {
    Map<String, Row> rows = new LinkedHashMap<>();
    rows.put("Portcullis decision", bench(out, DecisionBenchmark.class, "portcullis", quick, Map.of()));
    rows.put("Cedar decision (cedar-java 4.10, cached policy set)", bench(out, DecisionBenchmark.class, "cedar", quick,
        Map.of()));
    rows.put("Cedar binding floor (2 policies, 2 entities)", bench(out, CedarFloorBenchmark.class, "cedarBindingFloor",
        quick, Map.of()));
    // the gateway's default signer where it loads, and the JDK's (server.credentials.signer), side by side
    rows.put("Per-call token: mint (ES256, AWS-LC)", bench(out, TokenBenchmark.class, "mint", quick,
        Map.of("signer", "aws-lc")));
    rows.put("Per-call token: mint (ES256, JDK)", bench(out, TokenBenchmark.class, "mint", quick,
        Map.of("signer", "jdk")));
    rows.put("Per-call token: verify", bench(out, TokenBenchmark.class, "verify", quick, Map.of("signer", "jdk")));
    if (Boolean.getBoolean("bench.categories")) {
      for (Scenario.Category c : Scenario.Category.values()) {
        rows.put("Portcullis decision, only " + c.name().toLowerCase(Locale.ROOT).replace('_', ' '),
            bench(out, DecisionBenchmark.class, "portcullis", true, Map.of("category", c.name())));
      }
    }
    return markdown(rows);
  }

  private static Row bench(Path out, Class<?> type, String method, boolean quick, Map<String, String> params)
      throws Exception {
    String name = type.getSimpleName() + "." + method + (params.isEmpty() ? "" : params.toString());
    Progress.say("JMH " + name + (quick ? " (quick)" : "") + " ...");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + Pattern.quote(type.getName() + "." + method) + "$")
        .addProfiler(GCProfiler.class)
        .verbosity(VerboseMode.NORMAL)
        .output(out.resolve("jmh-" + type.getSimpleName() + "-" + method
            + String.join("", params.values().stream().map(v -> "-" + v).toList()) + ".log").toString())
        .shouldFailOnError(true);
    params.forEach(options::param);
    if (quick) {
      options.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
          .measurementTime(TimeValue.seconds(1));
    }
    List<RunResult> results = new ArrayList<>(new Runner(options.build()).run());
    if (results.isEmpty()) {
      throw new IllegalStateException("JMH ran nothing for " + name + "; see the log in " + out);
    }
    RunResult result = results.get(0);
    Statistics s = result.getPrimaryResult().getStatistics();
    double bytes = Double.NaN;
    for (Map.Entry<String, Result> e : result.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        bytes = e.getValue().getScore();
      }
    }
    Row row = new Row(name, s.getN(), s.getPercentile(50), s.getPercentile(99), s.getPercentile(99.9), s.getMean(),
        bytes);
    Progress.say(String.format(Locale.ROOT, "  %s: p50 %.2f µs, p99 %.2f µs, mean %.2f µs, %.0f B/op", name, row.p50(),
        row.p99(), row.mean(), row.bytesPerOp()));
    return row;
  }

  static String markdown(Map<String, Row> rows) {
    StringBuilder md = new StringBuilder("## Decisions and tokens (JMH, one thread, sample time)\n\n");
    md.append("| benchmark | p50 µs | p99 µs | p99.9 µs | mean µs | ops/s (1/mean) | allocated B/op | samples |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    rows.forEach((label, r) -> md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %,.0f | %,.0f | %,d |%n",
        label, num(r.p50()), num(r.p99()), num(r.p999()), num(r.mean()), 1e6 / r.mean(), r.bytesPerOp(),
        r.samples())));
    Row portcullis = rows.get("Portcullis decision");
    Row cedar = rows.get("Cedar decision (cedar-java 4.10, cached policy set)");
    if (portcullis != null && cedar != null) {
      md.append(String.format(Locale.ROOT, "%nCedar / Portcullis on the same policy and requests: %.0f× at p50, "
          + "%.0f× at p99, %.0f× in mean time per decision.%n", cedar.p50() / portcullis.p50(),
          cedar.p99() / portcullis.p99(), cedar.mean() / portcullis.mean()));
    }
    return md.toString();
  }

  private static String num(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
