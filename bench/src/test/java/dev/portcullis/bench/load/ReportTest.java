package dev.portcullis.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Percentiles, the overhead table and the chart, from known numbers. */
class ReportTest {
  private static RunResult row(String target, String mode, int level, double p50, double p99, double throughput) {
    return new RunResult(target, mode, level, 1000, 0, p50, p99, p99, p99, throughput, 0, 0, 0, 0);
  }

  private static final List<RunResult> TABLE = List.of(
      row("direct-2026", "rate", 1000, 200, 900, 1000), row("portcullis-2026", "rate", 1000, 260, 1200, 1000),
      row("direct-2026", "clients", 16, 2000, 5000, 8000), row("portcullis-2026", "clients", 16, 3000, 9000, 5000));

  @Test
  void aCsvRowReadsBackAsTheRowThatWroteIt() {
    RunResult row = new RunResult("relay-2026", "clients", 16, 1234, 1, 2500.5, 6000, 7000, 8000, 6000.2, 100.5,
        50.3, 25.5, 1.5); // one decimal, as the CSV keeps them

    assertThat(RunResult.fromCsv(row.csv())).isEqualTo(row);
  }

  @Test
  void percentilesUseNearestRank() {
    Latencies l = new Latencies(4);
    for (int i = 1; i <= 1000; i++) {
      l.add(i * 1_000L);
    }

    assertThat(l.percentileMicros(50)).isEqualTo(500);
    assertThat(l.percentileMicros(99)).isEqualTo(990);
    assertThat(l.percentileMicros(99.9)).isEqualTo(999);
    assertThat(new Latencies(1).percentileMicros(50)).isZero();
  }

  @Test
  void overheadIsTheGatewayMinusDirectOnTheSameWireAndLoad() {
    String md = Report.markdown(TABLE, Map.of("gateway start-up", "900 ms"));

    assertThat(md).contains("| fixed rate | 1000 | 2026 | 60 | 300 | 100% | – | – |");
    assertThat(md).contains("| fixed clients | 16 | 2026 | 1000 | 4000 | 63% | – | – |");
    assertThat(md).contains("| gateway start-up | 900 ms |");
  }

  @Test
  void theBareRelaySplitsTheOverheadIntoTheHttpHopsAndPortcullisOwnWork() {
    List<RunResult> table = List.of(
        new RunResult("direct-2026", "clients", 16, 1000, 0, 2000, 5000, 5000, 5000, 8000, 0, 40, 0, 0),
        new RunResult("relay-2026", "clients", 16, 1000, 0, 2500, 6000, 6000, 6000, 6000, 100, 50, 0, 0),
        new RunResult("socket-relay-2026", "clients", 16, 1000, 0, 2200, 6000, 6000, 6000, 6400, 80, 50, 0, 0),
        new RunResult("portcullis-2026", "clients", 16, 1000, 0, 3000, 9000, 9000, 9000, 4000, 250, 60, 0, 0),
        new RunResult("portcullis-2025", "clients", 16, 1000, 0, 3100, 9000, 9000, 9000, 3900, 260, 60, 0, 0),
        new RunResult("direct-2025", "clients", 16, 1000, 0, 2000, 5000, 5000, 5000, 7800, 0, 40, 0, 0));

    String md = Report.markdown(table, Map.of());

    assertThat(md).contains("| fixed clients | 16 | 2026, bare relay | 500 | 1000 | 75% | – | – |");
    assertThat(md).contains("| fixed clients | 16 | 2026, bare socket relay | 200 | 1000 | 80% | – | – |");
    assertThat(md).contains("| fixed clients | 16 | 2026 | 1000 | 4000 | 50% | 500 | 150 |");
    assertThat(md).as("the relay runs on the 2026 wire only").contains("| fixed clients | 16 | 2025 | 1100 | 4000 | 50% | – | – |");
    assertThat(md).as("the relay's CPU is a proxy's, not a direct call's")
        .contains("| fixed clients | 16 | relay-2026 | 2500 | 6000 | 6000 | 6000 | 100 | – | 50 | 0 |");
  }

  @Test
  void plainProxiesAreComparedWithPortcullisOnTheStdioServerAtTheGoalLevels() {
    List<RunResult> table = List.of(
        new RunResult("portcullis-stdio", "clients", 16, 1000, 0, 900, 3000, 3000, 3000, 4000, 250, 80, 60, 0),
        new RunResult("mcp-proxy", "clients", 16, 1000, 0, 1800, 6000, 6000, 6000, 2000, 500, 90, 0, 0),
        new RunResult("supergateway", "clients", 16, 1000, 0, 1200, 5000, 5000, 5000, 3000, 300, 120, 0, 0),
        new RunResult("supergateway", "clients", 4, 1000, 0, 1200, 5000, 5000, 5000, 3000, 300, 120, 0, 0),
        row("portcullis-2025", "clients", 16, 3000, 9000, 5000));

    String md = Report.markdown(table, Map.of());

    assertThat(md).contains("| fixed clients | 16 | portcullis-stdio | 900 | 3000 | 4000 | 250 | 80 | 1.00× | 1.00× |");
    assertThat(md).contains("| fixed clients | 16 | mcp-proxy | 1800 | 6000 | 2000 | 500 | 90 | 0.50× | 2.00× |");
    assertThat(md).contains("| fixed clients | 16 | supergateway | 1200 | 5000 | 3000 | 300 | 120 | 0.75× | 1.20× |");
    assertThat(md).as("a plain proxy has no JVM allocation figure")
        .contains("| fixed clients | 16 | mcp-proxy | 1800 | 6000 | 6000 | 2000 | 500 | – | 90 | 0 |");
    assertThat(md).as("only the levels the goals name").doesNotContain("| fixed clients | 4 | supergateway | 1200 | 5000 | 3000");
    assertThat(md).as("no direct stdio baseline to subtract").doesNotContain("| stdio |");
  }

  @Test
  void plainProxiesOnThe2026WireAreComparedWithPortcullisOnThe2026Wire() {
    List<RunResult> table = List.of(
        new RunResult("portcullis-stdio", "clients", 16, 1000, 0, 900, 3000, 3000, 3000, 4000, 250, 80, 60, 0),
        new RunResult("portcullis-stdio-2026", "clients", 16, 1000, 0, 800, 3000, 3000, 3000, 5000, 200, 80, 60, 0),
        new RunResult("mcp-proxy-2026", "clients", 16, 1000, 0, 1800, 6000, 6000, 6000, 2500, 400, 90, 0, 0),
        new RunResult("supergateway-2026", "clients", 16, 20, 0, 9e6, 2e7, 2e7, 2e7, 2, 30000, 600000, 0, 0));

    String md = Report.markdown(table, Map.of());

    assertThat(md).contains("| fixed clients | 16 | mcp-proxy-2026 | 1800 | 6000 | 2500 | 400 | 90 | 0.50× | 2.00× |");
    assertThat(md).contains("| fixed clients | 16 | supergateway-2026 | 9000000 | 20000000 | 2.00 | 30000 | 600000"
        + " | 0.0004× | 150.00× |");
    assertThat(md).as("not in the table of what Portcullis adds over direct calls")
        .doesNotContain("| fixed clients | 16 | stdio-2026 |");
  }

  @Test
  void onlyATargetThatStartsAProcessPerCallIsSparedRatesFarAboveWhatItSustains() {
    assertThat(RateLimit.skip("supergateway-2026", 500, 3.0, true)).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("not run: supergateway-2026 starts a server process per call and sustained 3.0 calls/s")
        .contains("500 calls/s"));
    assertThat(RateLimit.skip("supergateway-2026", 20, 3.0, true)).as("within ten times").isEmpty();
    assertThat(RateLimit.skip("portcullis-stdio", 500, 3.0, false)).as("however slow, on a busy machine").isEmpty();
    assertThat(RateLimit.skip("supergateway-2026", 500, null, true)).as("not warmed up: no basis").isEmpty();
  }

  @Test
  void mediansAcrossRoundsPickTheMiddleRun() {
    List<RunResult> rounds = List.of(row("direct-2026", "rate", 500, 100, 1, 1), row("direct-2026", "rate", 500, 300, 1, 1),
        row("direct-2026", "rate", 500, 200, 1, 1));

    assertThat(Report.medians(rounds)).singleElement().extracting(RunResult::p50).isEqualTo(200.0);
  }

  @Test
  void chartIsAPngWithBothPanels(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("chart.png");

    Chart.draw(TABLE, file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(1200);
    assertThat(image.getHeight()).isEqualTo(600);
  }
}
