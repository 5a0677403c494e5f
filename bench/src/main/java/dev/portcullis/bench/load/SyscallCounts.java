package dev.portcullis.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * System calls and context switches per call of the process in the middle of a lane, under the same closed-loop load
 * for each lane: {@code perf trace -s -p PID} (every thread's system calls, by name) around the load, stopped with
 * SIGINT when it ends, and the context-switch counters of {@code /proc/PID/task} ({@link ThreadCosts}). On this kind of
 * VM a system call or a wake-up costs microseconds, so these counts explain much of what a hop costs, and unlike times
 * they barely change with the machine's other load. When perf is missing or may not trace, the outcome says why.
 */
final class SyscallCounts {
  /** A row of {@code perf trace -s}: the system call's name and how many calls. */
  private static final Pattern ROW = Pattern.compile("^\\s+([a-z_0-9]+)\\s+(\\d+)\\s+\\d+\\s+[0-9.]+\\s");

  /** What the middle process of one lane did per call. */
  record PerCall(String lane, int calls, double syscalls, double contextSwitches, Map<String, Double> byName,
      int untracedThreads) {}

  private SyscallCounts() {}

  /**
   * Traces {@code process} while {@code load} runs and divides by the calls it answered. Run the same load just
   * before, so that the threads it needs (virtual-thread carriers, which retire when idle) exist when perf attaches:
   * perf follows the threads it found, and the row counts any thread that started during the trace.
   *
   * @return empty with the reason when perf could not trace
   */
  static Result count(String lane, ProcessHandle process, Path out, Lane.Run load)
      throws IOException, InterruptedException {
    Optional<Path> perf = PerfProfile.binary();
    if (perf.isEmpty()) {
      return new Result(Optional.empty(), "perf was not found; install it (Debian: apt-get install linux-perf) or"
          + " point -Dportcullis.perf at it");
    }
    Path summary = out.resolve("syscalls-" + lane + ".txt");
    Path log = out.resolve("syscalls-" + lane + ".log");
    Process trace = new ProcessBuilder(perf.get().toString(), "trace", "-s", "-p", Long.toString(process.pid()),
        "-o", summary.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Thread.sleep(500); // perf attaches to every thread before the load starts
    if (!trace.isAlive()) {
      return new Result(Optional.empty(), "'perf trace -p " + process.pid() + "' exited with status "
          + trace.exitValue() + ": " + Files.readString(log).strip());
    }
    Map<String, ThreadCosts.Counters> before = ThreadCosts.read(process);
    RunResult r = load.run();
    Map<String, ThreadCosts.Counters> after = ThreadCosts.read(process);
    new ProcessBuilder("kill", "-INT", Long.toString(trace.pid())).start().waitFor();
    if (!trace.waitFor(60, TimeUnit.SECONDS)) {
      trace.destroyForcibly();
      return new Result(Optional.empty(), "'perf trace' did not stop within 60 s of SIGINT; see " + log);
    }
    Map<String, Long> counts = parse(Files.exists(summary) ? Files.readString(summary) : "");
    if (counts.isEmpty() || r.completed() == 0) {
      return new Result(Optional.empty(), "'perf trace -s' gave no system calls for " + lane + " ("
          + Files.readString(log).strip() + ")");
    }
    ThreadCosts.Counters switches = ThreadCosts.Counters.sum(after.values())
        .minus(ThreadCosts.Counters.sum(before.values()));
    // perf attaches to the threads there are; one started later (a new virtual-thread carrier) goes uncounted
    int untraced = (int) after.keySet().stream().filter(id -> !before.containsKey(id)).count();
    return new Result(Optional.of(perCall(lane, r.completed(), counts, switches.voluntary() + switches.involuntary(),
        untraced)), "");
  }

  /** The outcome of one lane's trace: the counts, or why there are none. */
  record Result(Optional<PerCall> perCall, String problem) {}

  static PerCall perCall(String lane, int calls, Map<String, Long> counts, long contextSwitches, int untraced) {
    Map<String, Double> byName = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> byName.put(e.getKey(), (double) e.getValue() / calls));
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return new PerCall(lane, calls, (double) total / calls, (double) contextSwitches / calls, byName, untraced);
  }

  /** Calls per system call name, summed over every thread of a {@code perf trace -s} summary. */
  static Map<String, Long> parse(String summary) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : summary.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        counts.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
      }
    }
    return counts;
  }

  /** A table: one row per lane, its totals and its most frequent system calls (at least 0.05 per call). */
  static String markdown(List<PerCall> rows, int clients, Duration length) {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "System calls and context switches per call of the"
        + " process in the middle, %d clients for %d s each (`perf trace -s`, `/proc/PID/task`):%n%n", clients,
        length.toSeconds()));
    md.append("| target | calls | system calls per call | context switches per call | most frequent (per call)"
        + " | threads started while traced (not counted) |\n");
    md.append("| --- | ---: | ---: | ---: | --- | ---: |\n");
    for (PerCall row : rows) {
      StringBuilder top = new StringBuilder();
      row.byName().entrySet().stream().filter(e -> e.getValue() >= 0.05).limit(8).forEach(e -> top
          .append(top.isEmpty() ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " %.2f", e.getValue())));
      md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %s | %d |%n", row.lane(), row.calls(),
          row.syscalls(), row.contextSwitches(), top, row.untracedThreads()));
    }
    return md.toString();
  }
}
