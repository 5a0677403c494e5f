package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCostsTest {
  @Test
  void aThreadThatSleepsBetweenCallsShowsOneVoluntarySwitchPerCallUnderItsKind() throws Exception {
    int calls = 20;
    CountDownLatch done = new CountDownLatch(1);
    Map<String, ThreadCosts.Counters> before = ThreadCosts.read(ProcessHandle.current());
    Thread sleeper = Thread.ofPlatform().name("costs-probe-7").start(() -> {
      for (int i = 0; i < calls; i++) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
      long until = System.nanoTime() + 30_000_000; // and 30 ms of CPU
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      done.countDown();
      try {
        Thread.sleep(1_000); // still alive when read
      } catch (InterruptedException e) {
        // ends
      }
    });
    done.await();
    Map<String, ThreadCosts.Counters> after = ThreadCosts.read(ProcessHandle.current());
    sleeper.interrupt();
    sleeper.join();

    List<ThreadCosts.Row> rows = ThreadCosts.perCall(before, after, calls);
    ThreadCosts.Row probe = rows.stream().filter(r -> r.threads().equals("costs-probe")).findFirst().orElseThrow();
    assertThat(probe.voluntary()).as("one sleep per call").isBetween(1.0, 1.5);
    assertThat(probe.cpuMicros()).as("30 ms of CPU over 20 calls, in 10 ms ticks").isGreaterThanOrEqualTo(500);
    assertThat(rows.getLast().threads()).isEqualTo("all threads");
    assertThat(rows.getLast().voluntary()).isGreaterThanOrEqualTo(probe.voluntary());
    assertThat(ThreadCosts.markdown("t", rows)).contains("| `costs-probe` | ");
  }

  @Test
  void threadsOfOneKindAreNamedWithoutTheirNumber() {
    assertThat(ThreadCosts.kind("portcullis-http-12")).isEqualTo("portcullis-http");
    assertThat(ThreadCosts.kind("ForkJoinPool-1-worker-3")).isEqualTo("ForkJoinPool-1-worker");
    assertThat(ThreadCosts.kind("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
    assertThat(ThreadCosts.kind("GC Thread#0")).isEqualTo("GC Thread");
  }
}
