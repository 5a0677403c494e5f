package dev.portcullis.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A system-wide view of one JVM under load with Linux {@code perf}, to complement JFR (which sees Java frames only):
 * {@code perf record -e cpu-clock -F 999 -g -p PID} for the length of the load, then {@code jcmd PID Compiler.perfmap}
 * so that perf can name the JIT-compiled Java methods, then {@code perf script}, summarised by {@link PerfSummary}
 * (kernel, JIT-compiled Java, the JVM itself, libc, other native code; by thread; top symbols). The software clock
 * event is used because a VM usually has no hardware counters. When perf is missing or may not record (not root
 * and {@code kernel.perf_event_paranoid} above 1, a container without {@code perf_event_open}), the outcome says so
 * and how to fix it, and the run goes on without it.
 */
final class PerfProfile {
  static final int FREQUENCY = 999;
  /** Frames printed per sample: enough to reach the system call from the innermost kernel frame. */
  private static final int MAX_STACK = 40;
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(180);

  /** What the perf step produced. */
  sealed interface Outcome {
    /** Markdown for the summary: the profile, or why there is none. */
    String markdown();
  }

  /** A profile was recorded and summarised. */
  record Recorded(Path data, String markdown) implements Outcome {}

  /** No profile: {@code reason} says what failed and how to make it work. */
  record NotRecorded(String reason) implements Outcome {
    @Override
    public String markdown() {
      return "No perf profile: " + reason + "\n";
    }
  }

  private PerfProfile() {}

  /**
   * The perf binary: system property {@code portcullis.perf}, else {@code PORTCULLIS_PERF}, else {@code /usr/bin/perf},
   * else {@code perf} on the PATH.
   */
  static Optional<Path> binary() {
    String set = Optional.ofNullable(System.getProperty("portcullis.perf")).orElse(System.getenv("PORTCULLIS_PERF"));
    if (set != null && !set.isBlank()) {
      return Optional.of(Path.of(set)).filter(Files::isExecutable);
    }
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/perf")));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, "perf"));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * Records process {@code pid} (a JVM) while {@code load} runs for about {@code seconds}; writes
   * {@code gateway-perf.data}, the perf map and {@code perf-record.log} / {@code perf-script.txt} to {@code out}.
   * {@code load} describes itself in the summary's first line.
   */
  static Outcome record(long pid, Duration seconds, Path out, Lane.Run load) throws IOException, InterruptedException {
    Optional<Path> perf = binary();
    if (perf.isEmpty()) {
      return new NotRecorded("perf was not found (looked at -Dportcullis.perf, $PORTCULLIS_PERF, /usr/bin/perf and the"
          + " PATH); install it (Debian: apt-get install linux-perf) or point -Dportcullis.perf at it.");
    }
    Path data = out.resolve("gateway-perf.data");
    Path log = out.resolve("perf-record.log");
    Files.deleteIfExists(data);
    Process recording = new ProcessBuilder(perf.get().toString(), "record", "-e", "cpu-clock", "-F",
        Integer.toString(FREQUENCY), "-g", "-p", Long.toString(pid), "-o", data.toString(), "--", "sleep",
        Long.toString(Math.max(1, seconds.toSeconds()))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Thread.sleep(300);
    if (!recording.isAlive() && recording.exitValue() != 0) {
      return new NotRecorded("'perf record -p " + pid + "' exited with status " + recording.exitValue() + ": "
          + lastLines(log) + "; " + paranoidHint());
    }
    RunResult r = load.run();
    if (!recording.waitFor(seconds.toSeconds() + 60, TimeUnit.SECONDS)) {
      recording.destroy();
      return new NotRecorded("'perf record' did not finish " + seconds.toSeconds() + " s after it started; see " + log);
    }
    if (recording.exitValue() != 0 || !Files.isRegularFile(data) || Files.size(data) == 0) {
      return new NotRecorded("'perf record -p " + pid + "' exited with status " + recording.exitValue() + ": "
          + lastLines(log) + "; " + paranoidHint());
    }
    Optional<String> mapProblem = writePerfMap(pid, out);
    Path script = out.resolve("perf-script.txt");
    Process printing = new ProcessBuilder(perf.get().toString(), "script", "-i", data.toString(), "-F",
        "comm,tid,ip,sym,dso", "--max-stack", Integer.toString(MAX_STACK)).redirectOutput(script.toFile())
        .redirectError(out.resolve("perf-script.log").toFile()).start();
    if (!printing.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || printing.exitValue() != 0) {
      printing.destroy();
      return new NotRecorded("'perf script -i " + data + "' failed: " + lastLines(out.resolve("perf-script.log")));
    }
    PerfSummary summary;
    try (var lines = Files.lines(script)) {
      summary = PerfSummary.of(lines);
    } finally {
      Files.deleteIfExists(Path.of("/tmp", "perf-" + pid + ".map")); // a copy is in out
    }
    if (summary.samples() == 0) {
      return new NotRecorded("perf recorded no samples of process " + pid + " (" + lastLines(log) + "); "
          + paranoidHint());
    }
    String intro = String.format(java.util.Locale.ROOT, "`perf record -e cpu-clock -F %d -g -p PID` on the gateway JVM for"
        + " %d s during %s at %d %s: %.0f calls/s, p50 %.0f µs (%d samples, the process's CPU time at %d Hz)%s.%n%n",
        FREQUENCY, seconds.toSeconds(), r.target(), r.level(), r.mode(), r.throughput(), r.p50(), summary.samples(),
        FREQUENCY, mapProblem.map(p -> "; JIT-compiled methods are not named: " + p).orElse(""));
    return new Recorded(data, intro + summary.markdown());
  }

  /**
   * Asks the JVM to write {@code /tmp/perf-PID.map} (where perf looks for the names of JIT-compiled code), and keeps a
   * copy in {@code out}; returns what went wrong, if anything.
   */
  private static Optional<String> writePerfMap(long pid, Path out) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Path log = out.resolve("perf-map.log");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Compiler.perfmap").redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroy();
      return Optional.of("'jcmd " + pid + " Compiler.perfmap' failed (" + lastLines(log) + ")");
    }
    Path map = Path.of("/tmp", "perf-" + pid + ".map");
    if (!Files.isRegularFile(map)) {
      return Optional.of("jcmd wrote no " + map);
    }
    Files.copy(map, out.resolve("gateway-perf.map"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return Optional.empty();
  }

  private static String paranoidHint() {
    String level;
    try {
      level = Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).strip();
    } catch (IOException e) {
      level = "unknown";
    }
    return "kernel.perf_event_paranoid is " + level + " (perf needs root, CAP_PERFMON, or a value of 1 or less to"
        + " record another process: sudo sysctl kernel.perf_event_paranoid=1)";
  }

  private static String lastLines(Path log) {
    try {
      List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
    } catch (IOException e) {
      return "no output";
    }
  }
}
