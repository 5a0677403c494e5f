package dev.portcullis.bench.run;

import dev.portcullis.bench.load.LoadHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every Portcullis benchmark and writes one summary: the JMH decision benchmark against Cedar, the Cedar binding
 * floor, the per-call token, then the gateway-overhead load table with its chart, a JFR profile of the gateway and a
 * Linux perf profile of it (kernel and native frames; left out with the reason when perf cannot record).
 * {@code bench/run.sh} builds the project and calls this. By default the load table is one shorter round (3 s cells at
 * 1,000 and 2,000 calls/s and 1, 4 and 16 clients); {@code --full} runs the published table (three rounds of 4 s
 * cells, 500 calls/s too, longer profiles); {@code --quick} shortens every phase for a smoke run.
 *
 * <p>{@code Bench [--out DIR] [--quick | --full] [--skip-jmh] [--skip-load] [--categories] [--load-args "..."]};
 * {@code --categories} adds the Portcullis decision benchmark per kind of request (allowed, denied by default, ...).
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of("bench/results");
    boolean quick = false;
    boolean full = false;
    boolean jmh = true;
    boolean load = true;
    List<String> loadArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--quick" -> quick = true;
        case "--full" -> full = true;
        case "--skip-jmh" -> jmh = false;
        case "--skip-load" -> load = false;
        case "--categories" -> System.setProperty("bench.categories", "true");
        case "--load-args" -> loadArgs.addAll(List.of(args[++i].strip().split("\\s+")));
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; Bench takes --out DIR --quick --full"
            + " --skip-jmh --skip-load --categories --load-args \"...\"");
      }
    }
    out = Files.createDirectories(out.toAbsolutePath());
    Instant started = Instant.now();
    Machine before = Machine.now();
    Progress.say("Portcullis benchmarks: " + before.describe());
    StringBuilder summary = new StringBuilder("# Portcullis benchmark results\n\n");
    summary.append("Started ").append(started).append(" on ").append(before.describe()).append(".\n\n");
    if (jmh) {
      summary.append(Microbenchmarks.run(out, quick)).append('\n');
    }
    if (load) {
      List<String> argsForLoad = new ArrayList<>(List.of("--out", out.toString()));
      if (quick) {
        argsForLoad.addAll(List.of("--seconds", "2", "--rates", "500,1000", "--clients", "1,16", "--sessions", "200",
            "--profile-seconds", "4", "--perf-seconds", "4", "--thread-seconds", "3", "--syscall-seconds", "2",
            "--warmup-seconds", "3", "--settle-max-seconds", "4"));
      } else if (full) {
        // the published run: the harness's own defaults (4 s cells at 500, 1,000 and 2,000 calls/s), three rounds
        argsForLoad.addAll(List.of("--rounds", "3", "--profile-seconds", "15", "--perf-seconds", "10",
            "--thread-seconds", "8", "--syscall-seconds", "4"));
      } else {
        // one shorter round of the same table, to stay under ten minutes on 2 cores
        argsForLoad.addAll(List.of("--seconds", "3", "--rates", "1000,2000", "--warmup-seconds", "3",
            "--settle-max-seconds", "20", "--profile-seconds", "10", "--perf-seconds", "6", "--thread-seconds", "6",
            "--syscall-seconds", "3"));
      }
      argsForLoad.addAll(loadArgs);
      LoadHarness.Results results = LoadHarness.run(argsForLoad);
      summary.append("## Gateway overhead (load harness)\n\n").append(Files.readString(out.resolve("load.md")))
          .append("\n![latency vs load](").append(results.chart().getFileName()).append(")\n\n");
      if (results.profile() != null) {
        summary.append("## Profile of the gateway under load\n\n").append(Files.readString(results.profile()));
      }
      if (results.perf() != null) {
        summary.append("## perf profile of the gateway under load (kernel and native frames)\n\n")
            .append(Files.readString(results.perf()));
      }
      if (results.threads() != null) {
        summary.append("## Threads of a lone call (context switches and CPU per call)\n\n")
            .append(Files.readString(results.threads()));
      }
      if (results.syscalls() != null) {
        summary.append("\n## System calls per call (the process in the middle of each lane)\n\n")
            .append(Files.readString(results.syscalls()));
      }
    }
    Machine after = Machine.now();
    summary.append("\nFinished after ").append(Duration.between(started, Instant.now()).toSeconds())
        .append(" s; load average at the start ").append(before.loadAverage()).append(", at the end ")
        .append(after.loadAverage()).append(".\n");
    Path file = out.resolve("summary.md");
    Files.writeString(file, summary);
    Progress.say("done in " + Duration.between(started, Instant.now()).toSeconds() + " s; results in " + file);
  }
}
