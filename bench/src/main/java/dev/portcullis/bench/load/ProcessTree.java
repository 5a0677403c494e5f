package dev.portcullis.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A process and everything it launched, read from Linux's {@code /proc}: memory (RSS and PSS, summed over the tree)
 * and the CPU time of its children, including children that have already exited. Both are measured the same way for
 * every target of the load table, whether the process in the middle is a JVM (Portcullis) or Node (a plain proxy).
 */
final class ProcessTree {
  /** Clock ticks per second of {@code /proc/PID/stat} times (USER_HZ, 100 on every Linux build this runs on). */
  private static final long TICK_NANOS = 10_000_000L;

  private ProcessTree() {}

  /**
   * Memory of a process tree at one moment.
   *
   * @param processes how many processes were read (the root and its live descendants)
   * @param rssBytes resident memory, summed: pages shared between processes (the JDK's libjvm.so and CDS archive,
   *     the Node binary) count once per process
   * @param pssBytes proportional set size, summed: each shared page divided among the processes that map it, so the
   *     sum is what the tree really occupies
   */
  record Memory(int processes, long rssBytes, long pssBytes) {
    Memory minus(Memory other) {
      return new Memory(processes - other.processes, rssBytes - other.rssBytes, pssBytes - other.pssBytes);
    }

    String describe() {
      return String.format(Locale.ROOT, "%d processes, RSS %.1f MB, PSS %.1f MB", processes, rssBytes / 1_048_576.0,
          pssBytes / 1_048_576.0);
    }
  }

  /** RSS and PSS of {@code root} and every live descendant ({@code /proc/PID/smaps_rollup}). */
  static Memory memory(ProcessHandle root) {
    int processes = 0;
    long rss = 0;
    long pss = 0;
    for (ProcessHandle p : withDescendants(root)) {
      long[] m = rollup(p.pid());
      if (m != null) {
        processes++;
        rss += m[0];
        pss += m[1];
      }
    }
    return new Memory(processes, rss, pss);
  }

  /**
   * CPU time (user and system) used so far by everything {@code root} launched: its live descendants, plus the
   * children it has already reaped ({@code cutime + cstime} of the root, which include their own reaped children).
   * Unlike a sum over the processes alive at two moments, the difference of two readings also counts a child that
   * started and exited in between (supergateway on the 2026 wire starts a server process per call).
   */
  static long childrenCpuNanos(ProcessHandle root) {
    long total = reapedChildrenNanos(root.pid());
    for (ProcessHandle p : root.descendants().toList()) {
      total += p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
    return total;
  }

  private static List<ProcessHandle> withDescendants(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    try (Stream<ProcessHandle> descendants = root.descendants()) {
      descendants.forEach(all::add);
    }
    return all;
  }

  /** {@code [rss, pss]} in bytes, or null once the process has gone. */
  private static long[] rollup(long pid) {
    try {
      long rss = -1;
      long pss = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
        if (line.startsWith("Rss:")) {
          rss = kilobytes(line);
        } else if (line.startsWith("Pss:")) {
          pss = kilobytes(line);
        }
      }
      return rss < 0 || pss < 0 ? null : new long[] {rss, pss};
    } catch (IOException e) {
      return null;
    }
  }

  private static long kilobytes(String line) {
    String[] words = line.trim().split("\\s+");
    return Long.parseLong(words[1]) * 1024;
  }

  /** {@code cutime + cstime} of a process (fields 16 and 17 of {@code /proc/PID/stat}); 0 once it has gone. */
  private static long reapedChildrenNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // fields[0] is field 3 (state), so field n is fields[n - 3]
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
