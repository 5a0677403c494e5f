package dev.portcullis.audit;

import static dev.portcullis.audit.Entries.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.StoreFixture.Backend;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConfig;

/** What each commit of the writer leaves behind: entries visible to readers, and no lock held until the next one. */
class WriterCommitTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.portcullis.audit.StoreFixture#backends")
  void readersSeeEachEntryAsSoonAsItsAppendReturns(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open();
         AuditStore reader = f.openForReading(); AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      for (int i = 1; i <= 5; i++) {
        long seq = log.appendAndWait(call("s-1", i));
        assertThat(reader.last()).as("after append %d", i).hasValueSatisfying(r -> assertThat(r.seq()).isEqualTo(seq));
      }
      assertThat(log.stats().commits()).isEqualTo(5);
      assertThat(AuditLog.verify(reader).message()).startsWith("chain intact: 5 entries");
    }
  }

  @Test
  void betweenCommitsTheSqliteWriterHoldsNoDatabaseLock() throws Exception {
    try (StoreFixture f = StoreFixture.create(Backend.SQLITE); AuditStore store = f.open();
         AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      log.appendAndWait(call("s-1", 1));
      log.appendAndWait(call("s-1", 2));

      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(0); // fail at once instead of waiting for a lock
      try (Connection other = config.createConnection("jdbc:sqlite:" + f.file());
           Statement s = other.createStatement()) {
        s.execute("BEGIN IMMEDIATE"); // takes the write lock: refused if the writer's open transaction held it
        s.execute("ROLLBACK");
      }
      assertThat(log.appendAndWait(call("s-1", 3))).isEqualTo(3L);
    }
  }
}
