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
    Process busy = new ProcessBuilder("sh", "-c", "end=$(($(date +%s) + 1)); while [ $(date +%s) -lt $end ]; do :; done")
        .start();
    assertThat(busy.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(100); // the JDK's reaper has collected it: its CPU is now in this process's cutime

    long used = ProcessTree.childrenCpuNanos(self) - before;

    assertThat(busy.isAlive()).isFalse();
    assertThat(used).as("CPU of the exited child, in ns").isGreaterThan(100_000_000L);
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
