package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code perf trace -s} summaries and dividing them by the calls answered. */
class SyscallCountsTest {
  private static final String SUMMARY = """

       Summary of events:

       GC Thread#0 (15434), 14 events, 0.0%

         syscall            calls  errors  total       min       avg       max       stddev
                                           (msec)    (msec)    (msec)    (msec)        (%)
         --------------- --------  ------ -------- --------- --------- ---------     ------
         futex                  7      0     1.087     0.000     0.155     0.601     50.02%


       portcullis-http-3 (15440), 9000 events, 60.0%

         syscall            calls  errors  total       min       avg       max       stddev
                                           (msec)    (msec)    (msec)    (msec)        (%)
         --------------- --------  ------ -------- --------- --------- ---------     ------
         read                2000    120    12.345     0.001     0.006     0.900      2.00%
         pwrite64            2600      0    20.000     0.002     0.008     1.200      1.10%
         futex                 93      6  5001.095     0.000   312.568  1000.142     36.67%
      """;

  @Test
  void countsAreSummedOverEveryThreadByName() {
    assertThat(SyscallCounts.parse(SUMMARY)).containsExactlyInAnyOrderEntriesOf(
        Map.of("futex", 100L, "read", 2000L, "pwrite64", 2600L));
  }

  @Test
  void aSummaryWithoutRowsGivesNoCounts() {
    assertThat(SyscallCounts.parse("\n Summary of events:\n\n")).isEmpty();
  }

  @Test
  void perCallFiguresDivideByTheAnsweredCallsMostFrequentFirst() {
    SyscallCounts.PerCall row = SyscallCounts.perCall("relay-2026", 1000, SyscallCounts.parse(SUMMARY), 1500, 0);

    assertThat(row.syscalls()).isEqualTo(4.7);
    assertThat(row.contextSwitches()).isEqualTo(1.5);
    assertThat(row.byName().keySet()).containsExactly("pwrite64", "read", "futex");

    String md = SyscallCounts.markdown(List.of(row), 16, Duration.ofSeconds(4));
    assertThat(md).contains("| relay-2026 | 1000 | 4.7 | 1.50 | pwrite64 2.60, read 2.00, futex 0.10 | 0 |");
  }

  @Test
  void threadsThatStartedWhileTracedAreShownSinceTheirCallsAreMissing() {
    SyscallCounts.PerCall row = SyscallCounts.perCall("socket-relay-2026", 100, Map.of("futex", 23L), 63, 3);

    assertThat(SyscallCounts.markdown(List.of(row), 16, Duration.ofSeconds(4)))
        .contains("| socket-relay-2026 | 100 | 0.2 | 0.63 | futex 0.23 | 3 |");
  }
}
