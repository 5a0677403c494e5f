package dev.portcullis.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEntry;
import dev.portcullis.audit.AuditEntry.Outcome;
import dev.portcullis.audit.AuditEntry.Verdict;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {
  @TempDir
  Path dir;
  Path db;

  /** What one run of the command printed and returned. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AuditCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeEach
  void threeEntries() {
    db = dir.resolve("audit.db");
    try (AuditStore store = AuditStore.sqlite(db)) {
      append(store);
    }
  }

  private static void append(AuditStore store) {
    try (AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      for (int i = 1; i <= 3; i++) {
        log.append(AuditEntry.builder().time(Instant.parse("2026-11-03T10:15:02Z").plusSeconds(i))
            .requestId("r-" + i).session(i == 3 ? "s-2" : "s-1").agent("support-bot")
            .method("tools/call").tool("acme.crm_search")
            .arguments(Json.object().put("query", "Berlin " + i))
            .decision(Verdict.ALLOW, "read-customers", "granted").outcome(Outcome.OK)
            .upstreamLatency(Duration.ofMillis(20 + i)).build()).join();
      }
    }
  }

  private String head() {
    try (AuditStore store = AuditStore.readSqlite(db)) {
      return store.last().orElseThrow().hash();
    }
  }

  @Test
  void verifyOfAnIntactLogExitsZeroAndPrintsTheHead() {
    Run run = run("verify", "--db", db.toString());

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo("chain intact: 3 entries, head " + head() + "\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifyOfAnEditedLogExitsOneAndNamesTheFirstChangedEntry() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("UPDATE audit_log SET decision = 'deny' WHERE seq = 2");
    }

    Run run = run("verify", "--db", db.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("chain broken at entry seq 2 (request r-2): content changed");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void verifyWithTheAnchorOfAnEarlierRunCatchesACutOffTail() throws Exception {
    String anchor = "3:" + head();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("DELETE FROM audit_log WHERE seq = 3");
    }

    assertThat(run("verify", "--db", db.toString()).status()).isZero();
    Run anchored = run("verify", "--db", db.toString(), "--anchor", anchor);
    assertThat(anchored.status()).isEqualTo(1);
    assertThat(anchored.err()).contains("entry 3 is missing: the log ends at entry 2");
  }

  @Test
  void verifyRejectsAMalformedAnchor() {
    Run run = run("verify", "--db", db.toString(), "--anchor", "3:abc");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--anchor '3:abc' is not SEQ:HASH");
  }

  @Test
  void verifyOfAMissingFileExitsTwoAndSaysWhatItLookedFor() {
    Path missing = dir.resolve("nope.db");

    Run run = run("verify", "--db", missing.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("no audit log at " + missing + ": the file does not exist");
    assertThat(missing).doesNotExist();
  }

  @Test
  void verifyOfAFileThatIsNoAuditLogExitsTwo() throws Exception {
    Path other = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x)");
    }

    Run run = run("verify", "--db", other.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(other + " is not a Portcullis audit log");
  }

  @Test
  void postgresOptionsWithoutAUrlAreRefused() {
    Run run = run("verify", "--db", db.toString(), "--schema", "audit");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--schema applies to a PostgreSQL audit log only; add --url JDBC");
  }

  @Test
  void dbAndUrlTogetherAreRefused() {
    Run run = run("verify", "--db", db.toString(), "--url", "jdbc:postgresql://127.0.0.1/test");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive");
  }

  @Test
  void tracePrintsTheSessionsTimelineOnly() {
    Run run = run("trace", "s-1", "--db", db.toString());

    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("session s-1: 2 entries, 2026-11-03T10:15:03Z .. 2026-11-03T10:15:04Z (1.000s)");
    assertThat(run.out()).contains("   +0.000s  #1     support-bot  tools/call acme.crm_search {query: \"Berlin 1\"}")
        .contains("   +1.000s  #2     support-bot  tools/call acme.crm_search {query: \"Berlin 2\"}")
        .contains("allow (read-customers)  ok  22 ms  [request r-2]")
        .doesNotContain("Berlin 3");
  }

  @Test
  void traceOfAnUnknownSessionExitsOne() {
    Run run = run("trace", "s-9", "--db", db.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("no entries for session 's-9' in sqlite:" + db);
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args : new String[][] {{"--help"}, {"verify", "--help"}, {"trace", "--help"}}) {
      Run run = run(args);
      assertThat(run.status()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).startsWith("Usage: audit").contains("--help", "--version");
    }
    assertThat(run("verify", "--help").out()).contains("--db=PATH", "--url=JDBC", "--anchor=SEQ:HASH");
    assertThat(run("trace", "--help").out()).contains("SESSION", "--db=PATH");
  }

  @Test
  void auditWithoutASubcommandShowsUsageAndExitsTwo() {
    Run run = run();

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: audit", "verify", "trace");
  }

  @Test
  void verifyAndTraceReadAPostgresLogThroughItsUrl() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    requirePostgres(url);
    String schema = "audit_cli_" + UUID.randomUUID().toString().replace("-", "");
    try (AuditStore store = AuditStore.postgres(url, "postgres", "", schema)) {
      append(store);
      Run verify = run("verify", "--url", url, "--schema", schema, "--user", "postgres");
      assertThat(verify.status()).as(verify.err()).isZero();
      assertThat(verify.out()).startsWith("chain intact: 3 entries, head ");
      assertThat(run("trace", "s-2", "--url", url, "--schema", schema).out()).contains("#3 ");
      assertThat(run("verify", "--url", url, "--schema", "no_such_schema").err())
          .contains("schema 'no_such_schema' has no audit_meta table");
    } finally {
      try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  /** Skips when PostgreSQL is not reachable, except under CI=true, where the test must run. */
  private static void requirePostgres(String url) {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      return;
    } catch (Exception e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL at " + url + " is not reachable under CI=true", e);
      }
      Assumptions.abort("PostgreSQL at " + url + " is not reachable (" + e.getMessage() + "); skipping");
    }
  }
}
