package dev.portcullis.bench.load;

import java.util.Arrays;

/** Latencies of one run in nanoseconds, and their percentiles. Not thread-safe: one writer per instance. */
final class Latencies {
  private long[] values;
  private int count;

  Latencies(int expected) {
    values = new long[Math.max(16, expected)];
  }

  void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[count++] = nanos;
  }

  void addAll(Latencies other) {
    for (int i = 0; i < other.count; i++) {
      add(other.values[i]);
    }
  }

  int count() {
    return count;
  }

  /** The {@code p}-th percentile (0 to 100) in microseconds, nearest rank; 0 when empty. */
  double percentileMicros(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * count / 100.0 - 1e-9) - 1;
    return sorted[Math.max(0, Math.min(count - 1, rank))] / 1_000.0;
  }
}
