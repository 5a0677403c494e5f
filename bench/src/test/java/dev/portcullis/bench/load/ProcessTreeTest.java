package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Memory and children's CPU of a real process tree, read from /proc (this JVM and the processes it starts). */
class ProcessTreeTest {
  @Test
  void childrenCpuCountsAChildThatHasAlreadyExited() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    long before = ProcessTree.childrenCpuNanos(self);
    Process busy = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 500000 ]; do i=$((i+1)); done").start();
    assertThat(busy.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(100); // the JDK's reaper has collected it: its CPU is now in this process's cutime

    long used = ProcessTree.childrenCpuNanos(self) - before;

    assertThat(busy.isAlive()).isFalse();
    assertThat(used).as("CPU of the exited child, in ns").isGreaterThan(100_000_000L);
  }

  @Test
  void aWatchedTreeCountsAServerWhoseParentDiedBeforeIt() throws Exception {
    // as supergateway stops a 2026 server: the sh parent dies first, the server is reparented to init and reaped there
    ProcessHandle self = ProcessHandle.current();
    UpstreamCpu.Meter watched = UpstreamCpu.watched(self).start();
    UpstreamCpu.Meter counted = UpstreamCpu.counter(() -> ProcessTree.childrenCpuNanos(self)).start();
    Process parent = new ProcessBuilder("sh", "-c",
        "sh -c 'i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done'; :").start(); // no forks: all CPU in one process
    Thread.sleep(1500);
    parent.destroyForcibly().waitFor();
    Thread.sleep(200);

    long seen = watched.stop();
    long reaped = counted.stop();

    assertThat(seen).as("CPU of the orphaned busy loop while it was under this JVM, in ns").isGreaterThan(50_000_000L);
    assertThat(reaped).as("the counter sees only the killed parent").isLessThan(seen / 2);
  }

  @Test
  void memoryAddsTheChildrenToTheRoot() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    ProcessTree.Memory alone = ProcessTree.memory(self);
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      Thread.sleep(200);
      ProcessTree.Memory withChild = ProcessTree.memory(self);

      assertThat(alone.processes()).isGreaterThanOrEqualTo(1);
      assertThat(alone.rssBytes()).as("a JVM's resident memory").isGreaterThan(20L << 20);
      assertThat(alone.pssBytes()).isPositive().isLessThanOrEqualTo(alone.rssBytes());
      assertThat(withChild.processes()).isEqualTo(alone.processes() + 1);
      assertThat(withChild.minus(alone).pssBytes()).as("the sleep process").isPositive();
      assertThat(withChild.describe()).contains("processes, RSS ").contains("PSS ");
    } finally {
      child.destroy();
    }
  }
}
