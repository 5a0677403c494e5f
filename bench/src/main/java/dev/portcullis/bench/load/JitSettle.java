package dev.portcullis.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Warms a lane until the JIT compilers of the JVMs on its path have settled, so that its cells measure the steady
 * state a long-running gateway is in, not C2 still compiling beside it on the same two cores (measured here: a
 * gateway's compiler threads used 0.5–1.8 s of CPU per 3 s of load for the first 20 s, then under 0.1 s). After the
 * fixed warm-up, the lane gets more load in slices (8 clients, then 1, alternately: paths that only a lone client
 * takes compile too) until the compiler threads of its JVMs used less than {@link #QUIET_SHARE} of the slice's wall
 * time, or {@code max} has passed. Lanes with no JVM of ours on the path (the plain proxies on Node) are not held.
 */
final class JitSettle {
  /** Compiler threads busy for less than this share of one core: settled. */
  static final double QUIET_SHARE = 0.05;
  private static final Duration SLICE = Duration.ofSeconds(2);

  /** How long the extra warm-up took, the compilers' share of the last slice, and whether they settled. */
  record Outcome(Duration took, double lastShare, boolean settled) {
    String describe() {
      return String.format(Locale.ROOT, "%s after %.0f s more (JIT compilers at %.0f%% of a core in the last %d s)",
          settled ? "JIT settled" : "JIT still compiling", took.toMillis() / 1000.0, lastShare * 100,
          SLICE.toSeconds());
    }
  }

  private JitSettle() {}

  static Outcome warm(Lane lane, Duration max) throws InterruptedException {
    List<ProcessHandle> jvms = lane.jitted();
    long start = System.nanoTime();
    if (jvms.isEmpty() || max.isZero()) {
      return new Outcome(Duration.ZERO, 0, true);
    }
    for (int slice = 0; ; slice++) {
      long compiled = compilerNanos(jvms);
      long t0 = System.nanoTime();
      ClosedLoop.run(lane.client(), slice % 2 == 0 ? 8 : 1, SLICE);
      double share = (compilerNanos(jvms) - compiled) / (double) (System.nanoTime() - t0);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (share < QUIET_SHARE || took.compareTo(max) >= 0) {
        return new Outcome(took, share, share < QUIET_SHARE);
      }
    }
  }

  /** CPU time so far of the JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}) of these JVMs. */
  private static long compilerNanos(List<ProcessHandle> jvms) {
    long micros = 0;
    for (ProcessHandle jvm : jvms) {
      for (var thread : ThreadCosts.read(jvm).entrySet()) {
        if (thread.getKey().contains("CompilerThre")) {
          micros += thread.getValue().cpuMicros();
        }
      }
    }
    return micros * 1_000;
  }
}
