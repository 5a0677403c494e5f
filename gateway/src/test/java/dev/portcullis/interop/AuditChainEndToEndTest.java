package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEntry;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Verification;
import dev.portcullis.interop.SdkClient.Sdk;
import dev.portcullis.testsupport.GatewayUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a run of real clients (allowed, denied and refused calls on both wires) the audit chain verifies, holds every
 * call with the rule that decided it, and catches an edited row and a deleted row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditChainEndToEndTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { command: %s }
      agents:
        support:
          roles: [support]
          keys: [ ${key:support} ]
      roles:
        support:
          grants:
            - id: read-files
              tools: [acme.files_read, acme.files_list]
      """;

  @RegisterExtension
  static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)))
      .file("notes.txt", "audit me");
  private Path db;

  @BeforeAll
  void runClientsThenStopTheGateway() throws Exception {
    try (gateway) {
      for (Sdk sdk : Sdk.values()) {
        SdkClient.http(sdk, gateway.mcpUrl(), gateway.key("support"))
            .listTools()
            .call("acme.files_read", "{\"path\": \"notes.txt\"}")
            .call("acme.files_write", "{\"path\": \"x.txt\", \"content\": \"" + sdk + "\"}")
            .call("acme.files_list", "{\"path\": \".\", \"depth\": 3}")
            .run().result(3);
        SdkClient.http(sdk, gateway.mcpUrl(), "pcl_kwrong_" + "y".repeat(43)).listTools().run();
      }
      db = gateway.auditFile();
    }
    // Fold the write-ahead log into the database file so copies of the file hold every entry.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  private static List<AuditRecord> records(Path file) {
    try (AuditStore store = AuditStore.readSqlite(file)) {
      return store.range(1, Integer.MAX_VALUE);
    }
  }

  private static Verification verify(Path file) {
    try (AuditStore store = AuditStore.readSqlite(file)) {
      return AuditLog.verify(store);
    }
  }

  @Test
  void chainVerifiesAndHoldsEveryCallWithTheRuleThatDecidedIt() {
    List<AuditRecord> calls = records(db).stream().filter(r -> "tools/call".equals(r.method())).toList();

    assertThat(verify(db).intact()).as(verify(db).message()).isTrue();
    assertThat(calls).filteredOn(r -> r.tool().equals("acme.files_read"))
        .hasSize(2).allSatisfy(r -> {
          assertThat(r.decision()).isEqualTo(AuditEntry.Verdict.ALLOW);
          assertThat(r.rule()).isEqualTo("read-files");
          assertThat(r.outcome()).isEqualTo(AuditEntry.Outcome.OK);
        });
    assertThat(calls).filteredOn(r -> r.tool().equals("acme.files_write"))
        .hasSize(2).allSatisfy(r -> {
          assertThat(r.rule()).isEqualTo("default-deny");
          assertThat(r.outcome()).isEqualTo(AuditEntry.Outcome.NOT_FORWARDED);
        });
    assertThat(calls).filteredOn(r -> r.tool().equals("acme.files_list"))
        .hasSize(2).allSatisfy(r -> assertThat(r.rule()).isEqualTo("undeclared-arguments"));
    assertThat(records(db)).extracting(AuditRecord::protocolVersion).contains("2026-07-28", "2025-11-25");
    assertThat(records(db)).filteredOn(r -> r.rule().equals("authentication")).isNotEmpty();
  }

  @Test
  void editedRowBreaksTheChainAtThatRow() throws Exception {
    Path copy = copy("edited");
    long seq = records(copy).stream().filter(r -> r.tool().equals("acme.files_write")).findFirst().orElseThrow().seq();
    sql(copy, "UPDATE audit_log SET decision = 'allow' WHERE seq = " + seq);

    Verification result = verify(copy);

    assertThat(result).isInstanceOfSatisfying(Verification.Broken.class, b -> assertThat(b.seq()).isEqualTo(seq));
  }

  @Test
  void deletedRowBreaksTheChainWhereItWasMissing() throws Exception {
    Path copy = copy("deleted");
    long seq = records(copy).stream().filter(r -> r.tool().equals("acme.files_read")).findFirst().orElseThrow().seq();
    sql(copy, "DELETE FROM audit_log WHERE seq = " + seq);

    Verification result = verify(copy);

    assertThat(result).isInstanceOfSatisfying(Verification.Broken.class, b -> assertThat(b.seq()).isEqualTo(seq));
  }

  private Path copy(String name) throws Exception {
    Path copy = db.resolveSibling(name + ".db");
    Files.copy(db, copy, StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  private static void sql(Path file, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
