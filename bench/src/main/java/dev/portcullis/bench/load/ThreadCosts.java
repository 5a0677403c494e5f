package dev.portcullis.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What each kind of thread of a process costs per call: voluntary context switches (it went to sleep, so something
 * had to wake it), involuntary ones (it was preempted) and CPU time, read from {@code /proc/PID/task/TID/} before and
 * after a run. Threads are grouped by name without their trailing number ({@code portcullis-http-12} and
 * {@code -13} are one kind), so a lone call's path shows as a chain of kinds: the server's selector, a
 * virtual-thread carrier, the upstream client's selector, the carrier again.
 */
final class ThreadCosts {
  /** Clock ticks per second of {@code /proc/PID/task/TID/stat} times (USER_HZ). */
  private static final long TICK_MICROS = 10_000;

  /** Counters of one kind of thread: voluntary and involuntary context switches, CPU time in microseconds. */
  record Counters(long voluntary, long involuntary, long cpuMicros) {
    Counters plus(Counters o) {
      return new Counters(voluntary + o.voluntary, involuntary + o.involuntary, cpuMicros + o.cpuMicros);
    }

    static Counters sum(java.util.Collection<Counters> all) {
      return all.stream().reduce(new Counters(0, 0, 0), Counters::plus);
    }

    Counters minus(Counters o) {
      return new Counters(voluntary - o.voluntary, involuntary - o.involuntary, cpuMicros - o.cpuMicros);
    }
  }

  /** One row of the table: a kind of thread and what it cost per call. */
  record Row(String threads, double voluntary, double involuntary, double cpuMicros) {}

  private ThreadCosts() {}

  /** The counters of every thread of {@code process} now, by thread id, with the thread's kind. */
  static Map<String, Counters> read(ProcessHandle process) {
    Map<String, Counters> byThread = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        try {
          String kind = kind(Files.readString(thread.resolve("comm")).strip());
          long voluntary = 0;
          long involuntary = 0;
          for (String line : Files.readAllLines(thread.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
          }
          String stat = Files.readString(thread.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
          long cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MICROS; // utime, stime
          byThread.put(kind + "|" + thread.getFileName(), new Counters(voluntary, involuntary, cpu));
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byThread;
  }

  /** What each kind of thread cost per call between two readings; kinds that cost (almost) nothing are left out. */
  static List<Row> perCall(Map<String, Counters> before, Map<String, Counters> after, long calls) {
    Map<String, Counters> byKind = new TreeMap<>();
    after.forEach((thread, counters) -> {
      Counters used = counters.minus(before.getOrDefault(thread, new Counters(0, 0, 0)));
      byKind.merge(thread.substring(0, thread.lastIndexOf('|')), used, Counters::plus);
    });
    List<Row> rows = new ArrayList<>();
    Counters total = new Counters(0, 0, 0);
    for (Map.Entry<String, Counters> e : byKind.entrySet()) {
      Counters c = e.getValue();
      total = total.plus(c);
      Row row = row(e.getKey(), c, calls);
      if (row.voluntary() + row.involuntary() >= 0.05 || row.cpuMicros() >= 3) {
        rows.add(row);
      }
    }
    rows.add(row("all threads", total, calls));
    return rows;
  }

  /** A thread's kind: its name without a trailing number and separator. */
  static String kind(String comm) {
    return comm.replaceAll("[-#_ ]?\\d+$", "");
  }

  static String markdown(String title, List<Row> rows) {
    StringBuilder out = new StringBuilder("**").append(title).append("**\n\n")
        .append("| threads | voluntary switches | involuntary switches | CPU µs |\n| --- | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.2f | %.0f |%n", r.threads(), r.voluntary(),
          r.involuntary(), r.cpuMicros()));
    }
    return out.append('\n').toString();
  }

  private static Row row(String kind, Counters c, long calls) {
    double n = Math.max(1, calls);
    return new Row(kind, c.voluntary() / n, c.involuntary() / n, c.cpuMicros() / n);
  }
}
