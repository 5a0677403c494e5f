package dev.portcullis.bench.load;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How a lane measures the CPU time of its upstream during a run: {@link #start()} before, {@link Meter#stop()} after.
 * Long-lived upstreams are read as a counter before and after ({@link #counter}). Server processes that start and
 * exit within a run (supergateway on the 2026 wire: one per call, stopped by a signal to its process group, so that the
 * JVM outlives its {@code sh} parent and is reaped by init, out of reach of the proxy's {@code cutime}) are watched
 * instead ({@link #watched}): the tree is read every {@value #POLL_MILLIS} ms and each process's last reading counts,
 * so only what a process uses in its last {@value #POLL_MILLIS} ms escapes.
 */
interface UpstreamCpu {
  int POLL_MILLIS = 20;

  /** A measurement in progress. */
  interface Meter {
    /** CPU nanoseconds the upstream used since {@link UpstreamCpu#start()}. */
    long stop() throws InterruptedException;
  }

  Meter start();

  /** A counter of CPU used so far, read before and after. */
  static UpstreamCpu counter(LongSupplier cpuSoFar) {
    return () -> {
      long before = cpuSoFar.getAsLong();
      return () -> Math.max(0, cpuSoFar.getAsLong() - before);
    };
  }

  /** Every process under {@code root}, watched while the run lasts. */
  static UpstreamCpu watched(ProcessHandle root) {
    return () -> {
      Map<Long, Long> first = new HashMap<>();
      Map<Long, Long> last = new HashMap<>();
      Runnable read = () -> root.descendants().forEach(p -> p.info().totalCpuDuration().map(Duration::toNanos)
          .ifPresent(cpu -> {
            synchronized (last) {
              last.put(p.pid(), cpu);
            }
          }));
      read.run();
      synchronized (last) {
        first.putAll(last);
      }
      Thread watcher = Thread.ofPlatform().daemon().name("upstream-cpu-watch").start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          read.run();
          try {
            Thread.sleep(POLL_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      return () -> {
        watcher.interrupt();
        watcher.join(Duration.ofSeconds(5));
        read.run();
        long used = 0;
        synchronized (last) {
          for (Map.Entry<Long, Long> e : last.entrySet()) {
            used += Math.max(0, e.getValue() - first.getOrDefault(e.getKey(), 0L));
          }
        }
        return used;
      };
    };
  }
}
