package dev.portcullis.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One target of the load table with the processes whose cost its rows report: the server in the middle (Portcullis or
 * a plain proxy; none for direct calls), its JVM when it is one (for allocation and GC), how the CPU time of the
 * upstream behind it is measured (the HTTP fixture, or every stdio server the middle one launched:
 * {@link UpstreamCpu}), and the JVMs on its path whose JIT compilers must have settled before it is measured
 * ({@link JitSettle}).
 */
record Lane(McpClient client, Optional<ProcessHandle> middle, Optional<ChildJvm> jvm, UpstreamCpu upstream,
    List<ProcessHandle> jitted) {

  /** A run that can be interrupted. */
  interface Run {
    RunResult run() throws InterruptedException;
  }

  static Lane direct(McpClient client, ChildJvm fixture) {
    return new Lane(client, Optional.empty(), Optional.empty(),
        UpstreamCpu.counter(() -> cpuNanos(fixture.handle())), List.of(fixture.handle()));
  }

  static Lane gateway(McpClient client, ChildJvm gateway, ChildJvm fixture) {
    return new Lane(client, Optional.of(gateway.handle()), Optional.of(gateway),
        UpstreamCpu.counter(() -> cpuNanos(fixture.handle())), List.of(gateway.handle(), fixture.handle()));
  }

  /** Portcullis with a stdio upstream: the upstream is the gateway's child process. */
  static Lane stdioGateway(McpClient client, ChildJvm gateway) {
    return new Lane(client, Optional.of(gateway.handle()), Optional.of(gateway),
        UpstreamCpu.counter(() -> ProcessTree.childrenCpuNanos(gateway.handle())), List.of(gateway.handle()));
  }

  static Lane proxy(McpClient client, NodeProxy proxy) {
    return new Lane(client, Optional.of(proxy.handle()), Optional.empty(),
        UpstreamCpu.counter(() -> ProcessTree.childrenCpuNanos(proxy.handle())), List.of());
  }

  /** This lane with its upstream processes watched during each run, for a target that starts one per call. */
  Lane watchingUpstream() {
    return new Lane(client, middle, jvm, UpstreamCpu.watched(middle.orElseThrow()), jitted);
  }

  String name() {
    return client.target().name();
  }

  /** Runs {@code run} and adds what it cost the middle and the upstream processes, per answered call. */
  RunResult measured(Run run) throws InterruptedException {
    long[] before = jvm.map(Lane::stats).orElse(new long[2]);
    long middleCpu = middle.map(Lane::cpuNanos).orElse(0L);
    UpstreamCpu.Meter upstreamMeter = upstream.start();
    RunResult r = run.run();
    long middleUsed = middle.map(Lane::cpuNanos).orElse(0L) - middleCpu;
    long upstreamUsed = upstreamMeter.stop();
    long[] after = jvm.map(Lane::stats).orElse(new long[2]);
    return r.withCosts(middleUsed, upstreamUsed, after[0] - before[0], after[1] - before[1]);
  }

  /** CPU time a process has used so far, all threads (user and system); 0 once it has gone. */
  static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** Bytes allocated and GC milliseconds of a child JVM since it started. */
  private static long[] stats(ChildJvm child) {
    String[] parts = child.ask("stats", "STATS ", Duration.ofSeconds(30)).split(" ");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }
}
