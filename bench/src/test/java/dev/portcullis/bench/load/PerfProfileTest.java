package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perf step: its summary of a perf listing, a real recording of this JVM while it works (skipped where perf is
 * not installed), and the message when perf cannot be found.
 */
class PerfProfileTest {
  /** Three samples as {@code perf script -F comm,tid,ip,sym,dso} prints them for a recording with call chains. */
  private static final String LISTING = """
      qtp1234-56 4242\s
      \tffffffff8225fd19 pvm_irq_enable ([kernel.kallsyms])
      \tffffffff8144ea34 futex_do_wait ([kernel.kallsyms])
      \tffffffff8144aa4d __x64_sys_futex ([kernel.kallsyms])
      \tffffffff8225a6c1 do_syscall_64 ([kernel.kallsyms])
      \t           85f16 __futex_abstimed_wait_common (/usr/lib/x86_64-linux-gnu/libc.so.6)

      C2 CompilerThre 4243\s
      \t7f8f8237d705 PhaseOutput::BuildOopMaps (/usr/lib/jvm/temurin/lib/server/libjvm.so)

      ForkJoinPool-1- 4244\s
      \t7f8f6bf17d4d byte[] java.util.Arrays.copyOf(byte[], int) (/tmp/perf-4240.map)
      \t7f8f6bf17000 [unknown] (/tmp/perf-4240.map)

      GC Thread#0 4245\s
      \t7f8f6b94faaa Interpreter (/tmp/perf-4240.map)
      a warning line perf printed
      """;

  @Test
  void summarySplitsSamplesByPlaceThreadAndSystemCall() {
    PerfSummary summary = PerfSummary.of(LISTING.lines());

    assertThat(summary.samples()).isEqualTo(4);
    assertThat(summary.share(PerfSummary.Place.KERNEL)).isEqualTo(1);
    assertThat(summary.share(PerfSummary.Place.JVM)).isEqualTo(1);
    assertThat(summary.share(PerfSummary.Place.JIT)).isEqualTo(1);
    assertThat(summary.share(PerfSummary.Place.INTERPRETER)).isEqualTo(1);
    assertThat(summary.kernelWork()).containsEntry("system call futex", 1L);
    assertThat(summary.byThreads()).containsEntry("JIT compiler threads", 1L).containsEntry("GC threads", 1L)
        .containsEntry("application threads (Jetty, virtual-thread carriers, audit, ...)", 2L);
    assertThat(summary.markdown()).contains("| 25.0% | 1 | `kernel` |")
        .contains("`byte[] java.util.Arrays.copyOf(byte[], int)  (JIT)`").contains("| 25.0% | 1 | `system call futex` |");
  }

  @Test
  void placesFollowTheLibraryOfTheSampledInstruction() {
    assertThat(PerfSummary.Place.of("memcpy", "/usr/lib/x86_64-linux-gnu/libc.so.6")).isEqualTo(PerfSummary.Place.LIBC);
    assertThat(PerfSummary.Place.of("x", "/tmp/sqlite-3.54.1.0-abc-libsqlitejdbc.so"))
        .isEqualTo(PerfSummary.Place.SQLITE);
    assertThat(PerfSummary.Place.of("Java_sun_nio_ch_Net_poll", "/usr/lib/jvm/x/lib/libnio.so"))
        .isEqualTo(PerfSummary.Place.OTHER_NATIVE);
    assertThat(PerfSummary.Place.of("[unknown]", "[unknown]")).isEqualTo(PerfSummary.Place.UNKNOWN);
  }

  @Test
  void recordsThisJvmWhileItWorksAndNamesItsJitCompiledMethods(@TempDir Path out) throws Exception {
    Assumptions.assumeTrue(PerfProfile.binary().isPresent(), "perf is not installed");
    long pid = ProcessHandle.current().pid();

    PerfProfile.Outcome outcome = PerfProfile.record(pid, Duration.ofSeconds(2), out, PerfProfileTest::work);

    assertThat(outcome).as(outcome.markdown()).isInstanceOf(PerfProfile.Recorded.class);
    assertThat(outcome.markdown()).contains("Where the gateway's CPU went").contains("JIT-compiled Java")
        .contains("during busy at 1 clients");
    assertThat(out.resolve("gateway-perf.map")).as("the JIT's perf map, kept").isNotEmptyFile();
    assertThat(Path.of("/tmp", "perf-" + pid + ".map")).as("removed from /tmp").doesNotExist();
  }

  @Test
  void withoutPerfTheOutcomeSaysWhatIsMissingAndHowToInstallIt(@TempDir Path out) throws Exception {
    String before = System.getProperty("portcullis.perf");
    System.setProperty("portcullis.perf", out.resolve("no-perf-here").toString());
    try {
      PerfProfile.Outcome outcome = PerfProfile.record(ProcessHandle.current().pid(), Duration.ofSeconds(1), out,
          PerfProfileTest::work);

      assertThat(outcome).isInstanceOf(PerfProfile.NotRecorded.class);
      assertThat(outcome.markdown()).startsWith("No perf profile: perf was not found").contains("apt-get install");
      assertThat(Files.list(out)).isEmpty();
    } finally {
      if (before == null) {
        System.clearProperty("portcullis.perf");
      } else {
        System.setProperty("portcullis.perf", before);
      }
    }
  }

  /** Two seconds of Java work in this JVM, reported as a run of target "busy". */
  private static RunResult work() {
    long end = System.nanoTime() + 2_000_000_000L;
    Latencies latencies = new Latencies(1024);
    long sink = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 2_000; i++) {
        b.append(i);
      }
      sink += b.toString().hashCode();
      latencies.add(System.nanoTime() - t0);
    }
    assertThat(sink).isNotZero();
    return RunResult.of("busy", "clients", 1, latencies, 0, 2);
  }
}
