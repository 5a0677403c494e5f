package dev.portcullis.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's CPU time per operation, printed after each iteration as {@code [cpu] N us/op}: on a shared
 * machine other processes stretch wall-clock samples but barely change the CPU a thread spends per operation. A
 * benchmark method takes this state and calls {@link #count()} once per operation.
 */
@State(Scope.Thread)
public class ThreadCpuTime {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private long startNs;
  private long ops;

  @Setup(Level.Iteration)
  public void start() {
    ops = 0;
    startNs = THREADS.getCurrentThreadCpuTime();
  }

  /** Counts one operation. */
  public void count() {
    ops++;
  }

  @TearDown(Level.Iteration)
  public void report() {
    long cpuNs = THREADS.getCurrentThreadCpuTime() - startNs;
    System.out.printf("  [cpu] %.2f us/op over %d ops%n", cpuNs / 1000.0 / Math.max(ops, 1), ops);
  }
}
