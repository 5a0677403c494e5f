package dev.portcullis.audit;

import static dev.portcullis.audit.Entries.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.StoreFixture.Backend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@link AuditLog#verify} finds after the database was changed behind Portcullis' back, over both stores. */
class ChainVerificationTest {
  private static final String MATRIX = "dev.portcullis.audit.StoreFixture#backends";

  /** A fixture holding entries seq 1..10 with request ids r-1..r-10. */
  private static StoreFixture tenEntries(Backend backend) {
    StoreFixture f = StoreFixture.create(backend);
    try (AuditStore store = f.open(); AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      for (int i = 1; i <= 10; i++) {
        log.append(call("s-1", i)).join();
      }
    }
    return f;
  }

  private static Verification verify(StoreFixture f) {
    try (AuditStore store = f.openForReading()) {
      return AuditLog.verify(store);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void untouchedChainIsIntactAndNamesItsHead(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend); AuditStore store = f.openForReading()) {
      Verification v = AuditLog.verify(store);
      assertThat(v).isEqualTo(new Verification.Intact(10, store.last().orElseThrow().hash()));
      assertThat(v.message()).isEqualTo("chain intact: 10 entries, head " + store.last().orElseThrow().hash());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void emptyLogIsIntactWithTheGenesisHead(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      assertThat(AuditLog.verify(store)).isEqualTo(new Verification.Intact(0, Row.GENESIS));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void editedArgumentsAreNamedByEntry(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      f.sql("UPDATE " + f.table() + " SET arguments = '{\"limit\":10,\"query\":\"Paris\"}' WHERE seq = 5");

      Verification v = verify(f);
      assertThat(v).isInstanceOfSatisfying(Verification.Broken.class, broken -> {
        assertThat(broken.seq()).isEqualTo(5);
        assertThat(broken.requestId()).isEqualTo("r-5");
        assertThat(broken.problem()).startsWith("content changed");
        assertThat(broken.entriesBefore()).isEqualTo(4);
      });
      assertThat(v.message()).startsWith("chain broken at entry seq 5 (request r-5): content changed");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void editedDecisionIsCaughtEvenWhenOnlyOneColumnChanged(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      f.sql("UPDATE " + f.table() + " SET latency_us = 1 WHERE seq = 9");

      assertThat(verify(f)).isInstanceOfSatisfying(Verification.Broken.class,
          broken -> assertThat(broken.seq()).isEqualTo(9));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void deletedEntryIsNamedAsMissing(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      f.sql("DELETE FROM " + f.table() + " WHERE seq = 5");

      assertThat(verify(f)).isInstanceOfSatisfying(Verification.Broken.class, broken -> {
        assertThat(broken.seq()).isEqualTo(5);
        assertThat(broken.requestId()).isEmpty();
        assertThat(broken.problem())
            .isEqualTo("entry 5 is missing (deleted); the next stored entry is seq 6 (request r-6)");
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void swappedPairIsNamedAtTheFirstMovedEntry(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      f.sql("UPDATE " + f.table() + " SET seq = -5 WHERE seq = 5",
          "UPDATE " + f.table() + " SET seq = 5 WHERE seq = 6",
          "UPDATE " + f.table() + " SET seq = 6 WHERE seq = -5");

      assertThat(verify(f)).isInstanceOfSatisfying(Verification.Broken.class, broken -> {
        assertThat(broken.seq()).isEqualTo(5);
        assertThat(broken.requestId()).isEqualTo("r-6");
        assertThat(broken.problem()).contains("does not match the hash of entry 4").contains("reordered");
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void entryRewrittenWithARecomputedHashBreaksTheLinkOfTheNextEntry(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      Row row = rowAt(f, 5);
      Row.Content forged = new Row.Content(row.content().time(), row.content().requestId(), row.content().session(),
          row.content().agent(), row.content().actorChainJson(), row.content().clientInfoJson(),
          row.content().protocolVersion(), row.content().method(), row.content().tool(), "{\"query\":\"forged\"}",
          row.content().decision(), row.content().rule(), row.content().reason(), row.content().policyVersion(),
          row.content().latencyMicros(), row.content().outcome(), row.content().resultExcerpt(),
          row.content().resultSha256(), row.content().filteredJson(), row.content().extraJson());
      String forgedHash = Row.hash(Row.sha256(), 5, row.prevHash(), forged.body());
      try (Connection c = f.raw(); PreparedStatement ps = c.prepareStatement(
          "UPDATE " + f.table() + " SET arguments = ?, hash = ? WHERE seq = 5")) {
        ps.setString(1, forged.argumentsJson());
        ps.setString(2, forgedHash);
        ps.executeUpdate();
      }

      assertThat(verify(f)).isInstanceOfSatisfying(Verification.Broken.class, broken -> {
        assertThat(broken.seq()).isEqualTo(6);
        assertThat(broken.problem()).contains("entry 5 was rewritten together with its hash");
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void cutOffTailIsCaughtByTheAnchorOfAnEarlierVerify(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      Verification.Intact before = (Verification.Intact) verify(f);
      f.sql("DELETE FROM " + f.table() + " WHERE seq >= 9");

      Verification withoutAnchor = verify(f);
      assertThat(withoutAnchor).isEqualTo(new Verification.Intact(8, rowAt(f, 8).hash()));
      try (AuditStore store = f.openForReading()) {
        Verification withAnchor = AuditLog.verify(store, Map.of(10L, before.headHash()));
        assertThat(withAnchor).isInstanceOfSatisfying(Verification.Broken.class, broken -> {
          assertThat(broken.seq()).isEqualTo(10);
          assertThat(broken.problem()).startsWith("entry 10 is missing: the log ends at entry 8, but an anchor"
              + " recorded entry 10 with hash ").endsWith("(the tail of the log was cut off)");
        });
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void anchorsThatStillMatchKeepTheChainIntact(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend); AuditStore store = f.openForReading()) {
      Map<Long, String> anchors = Map.of(3L, rowAt(f, 3).hash(), 10L, rowAt(f, 10).hash().toUpperCase());

      assertThat(AuditLog.verify(store, anchors).intact()).isTrue();
      assertThat(AuditLog.verify(store, Map.of(3L, "0".repeat(64)))).isInstanceOfSatisfying(
          Verification.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(3);
            assertThat(broken.problem()).contains("differs from the anchor recorded for it");
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void logWithAnEditedTailIsNotExtended(Backend backend) throws Exception {
    try (StoreFixture f = tenEntries(backend)) {
      f.sql("UPDATE " + f.table() + " SET decision = 'allow', rule = 'forged' WHERE seq = 10");

      try (AuditStore store = f.open()) {
        assertThatThrownBy(() -> AuditLog.start(store, Redactor.secrets()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("was changed outside Portcullis and will not be extended")
            .hasMessageContaining("chain broken at entry seq 10 (request r-10): content changed");
      }
      assertThat(verify(f)).isInstanceOfSatisfying(Verification.Broken.class,
          broken -> assertThat(broken.seq()).isEqualTo(10));
    }
  }

  private static Row rowAt(StoreFixture f, long seq) throws Exception {
    try (Connection c = f.raw();
         PreparedStatement ps = c.prepareStatement(RowMapper.select(f.table()) + " WHERE seq = ?")) {
      ps.setLong(1, seq);
      try (var rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return RowMapper.read(rs);
      }
    }
  }
}
