package dev.portcullis.bench.load;

/**
 * One measured cell of the table: a target at one load level.
 *
 * @param mode {@code rate} (open loop, {@code level} calls/s offered) or {@code clients} (closed loop, {@code level}
 *     clients each waiting for its answer before the next call)
 * @param completed calls answered within the run (including errors)
 * @param errors answers that were not the tool's result (HTTP error, JSON-RPC error, transport failure, timeout)
 * @param throughput answered calls per second
 * @param gatewayCpu CPU time the process between client and upstream (the gateway JVM, or a plain proxy's Node
 *     process; none for direct calls) used during the run, per answered call, in microseconds (all threads: the
 *     request path, the audit writer, GC, JIT)
 * @param fixtureCpu the same for the upstream: the fixture's JVM, or every stdio server the proxy launched
 * @param gatewayAlloc bytes the gateway JVM allocated during the run, per answered call, in kilobytes (0 when the
 *     process in the middle is not a JVM)
 * @param gatewayGc milliseconds the gateway spent in garbage collection during the run, per 1,000 calls
 */
record RunResult(String target, String mode, int level, int completed, int errors, double p50, double p99,
    double p999, double max, double throughput, double gatewayCpu, double fixtureCpu, double gatewayAlloc,
    double gatewayGc) {

  static RunResult of(String target, String mode, int level, Latencies latencies, int errors, double seconds) {
    return new RunResult(target, mode, level, latencies.count(), errors, latencies.percentileMicros(50),
        latencies.percentileMicros(99), latencies.percentileMicros(99.9), latencies.percentileMicros(100),
        latencies.count() / seconds, 0, 0, 0, 0);
  }

  RunResult withCosts(long gatewayNanos, long fixtureNanos, long gatewayBytes, long gatewayGcMillis) {
    int calls = Math.max(1, completed);
    return new RunResult(target, mode, level, completed, errors, p50, p99, p999, max, throughput,
        gatewayNanos / 1_000.0 / calls, fixtureNanos / 1_000.0 / calls, gatewayBytes / 1024.0 / calls,
        gatewayGcMillis * 1000.0 / calls);
  }

  String progressLine() {
    return String.format("%-23s %-7s %5d  p50 %8.0f us  p99 %8.0f us  p99.9 %8.0f us  %7.1f calls/s  per call:"
        + " proxy %5.0f us cpu %5.1f KB, upstream %4.0f us cpu  %d errors", target, mode, level, p50, p99, p999, throughput,
        gatewayCpu, gatewayAlloc, fixtureCpu, errors);
  }

  /** A row as {@link #csv()} wrote it. */
  static RunResult fromCsv(String line) {
    String[] f = line.split(",");
    if (f.length != 14) {
      throw new IllegalArgumentException("expected 14 comma-separated fields (" + csvHeader() + "), got " + f.length
          + " in '" + line + "'");
    }
    return new RunResult(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
        Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
        Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12]),
        Double.parseDouble(f[13]));
  }

  String csv() {
    return String.join(",", target, mode, Integer.toString(level), Integer.toString(completed),
        Integer.toString(errors), fmt(p50), fmt(p99), fmt(p999), fmt(max), fmt(throughput), fmt(gatewayCpu),
        fmt(fixtureCpu), fmt(gatewayAlloc), fmt(gatewayGc));
  }

  static String csvHeader() {
    return "target,mode,level,completed,errors,p50_us,p99_us,p999_us,max_us,throughput_per_s,gateway_cpu_us_per_call,"
        + "fixture_cpu_us_per_call,gateway_alloc_kb_per_call,gateway_gc_ms_per_1000_calls";
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}
