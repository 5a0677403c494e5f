package dev.portcullis.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the chain is kept: an embedded SQLite file or a PostgreSQL schema. Opened once, shared by the {@link AuditLog}
 * that writes it and by readers (verify, trace, admin API), closed by whoever opened it.
 */
public abstract sealed class AuditStore implements AutoCloseable permits SqliteStore, PostgresStore {
  /** Audit log format this code reads and writes; recorded in {@code audit_meta}. */
  static final int FORMAT = 1;
  static final String TABLE = "audit_log";
  static final String META = "audit_meta";

  /** What a commit must survive before an entry's future completes. */
  public enum Durability {
    /**
     * Survives the gateway process being killed (kill -9, OOM): committed to the operating system, synced to disk at
     * checkpoints. SQLite {@code synchronous=NORMAL} in WAL mode.
     */
    PROCESS_CRASH,
    /** Also survives power loss and kernel crashes: the WAL is synced per commit. SQLite {@code synchronous=FULL}. */
    POWER_LOSS
  }

  /**
   * Opens (creating when missing) a SQLite audit log whose committed entries survive the process being killed
   * ({@link Durability#PROCESS_CRASH}); the file's directory is created too.
   */
  public static AuditStore sqlite(Path file) {
    return sqlite(file, Durability.PROCESS_CRASH);
  }

  /** Opens (creating when missing) a SQLite audit log with the given durability. */
  public static AuditStore sqlite(Path file, Durability durability) {
    return new SqliteStore(file, durability, true);
  }

  /** Opens an existing SQLite audit log for reading; fails when {@code file} holds no audit log. */
  public static AuditStore readSqlite(Path file) {
    return new SqliteStore(file, Durability.POWER_LOSS, false);
  }

  /**
   * Opens (creating the schema and tables when missing) an audit log in PostgreSQL.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/portcullis}
   * @param schema the schema holding {@code audit_log} and {@code audit_meta}: lower-case letters, digits, {@code _}
   */
  public static AuditStore postgres(String jdbcUrl, String user, String password, String schema) {
    return new PostgresStore(jdbcUrl, user, password, schema, true);
  }

  /** Opens an existing PostgreSQL audit log for reading; fails when {@code schema} holds no audit log. */
  public static AuditStore readPostgres(String jdbcUrl, String user, String password, String schema) {
    return new PostgresStore(jdbcUrl, user, password, schema, false);
  }

  /** Where this store is, for messages: {@code sqlite:/var/lib/portcullis/audit.db}, {@code postgresql:…}. */
  public abstract String location();

  /** A session's entries in chain order; empty when the session has none. */
  public List<AuditRecord> session(String sessionId) {
    return query("WHERE session = ? ORDER BY seq", sessionId, Integer.MAX_VALUE);
  }

  /** Up to {@code limit} entries from {@code fromSeq} on, in chain order. */
  public List<AuditRecord> range(long fromSeq, int limit) {
    return query("WHERE seq >= ? ORDER BY seq", fromSeq, limit);
  }

  /** The newest entry, if any. */
  public Optional<AuditRecord> last() {
    try (Connection c = reader()) {
      List<Row> tail = tail(c, 1);
      return tail.isEmpty() ? Optional.empty() : Optional.of(AuditRecord.of(tail.getFirst()));
    } catch (SQLException e) {
      throw failure("read the newest entry", e);
    }
  }

  @Override
  public abstract void close();

  // ---- what the dialects provide ----

  /** A connection for reading (autocommit on). */
  abstract Connection reader() throws SQLException;

  /** The one connection the writer keeps: locked against a second writer, autocommit off. */
  abstract Connection writer() throws SQLException;

  /** Releases the writer's lock and connection; never throws. */
  abstract void releaseWriter(Connection writer);

  /** The audit table's name as SQL (schema-qualified where the dialect has schemas). */
  abstract String table();

  /** The meta table's name as SQL. */
  abstract String metaTable();

  /** Prepares a statement that streams a large result instead of loading it. */
  abstract PreparedStatement streaming(Connection c, String sql) throws SQLException;

  // ---- shared SQL ----

  /** Creates the tables when missing and checks the recorded format. */
  final void createOrCheck(Connection c, String seqType, String bigint) throws SQLException {
    String columns = Row.COLUMNS.stream().map(col -> switch (col) {
      case "seq" -> col + " " + seqType + " PRIMARY KEY";
      case "latency_us" -> col + " " + bigint + " NOT NULL";
      default -> col + " TEXT NOT NULL";
    }).collect(Collectors.joining(", "));
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + metaTable() + " (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS " + table() + " (" + columns + ")");
      s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_session ON " + table() + " (session, seq)");
      s.execute("INSERT INTO " + metaTable() + " (key, value) SELECT 'format', '" + FORMAT + "' WHERE NOT EXISTS"
          + " (SELECT 1 FROM " + metaTable() + " WHERE key = 'format')");
    }
    checkFormat(c);
  }

  final void checkFormat(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM " + metaTable() + " WHERE key = 'format'")) {
      String format = rs.next() ? rs.getString(1) : "none";
      if (!String.valueOf(FORMAT).equals(format)) {
        throw new IllegalStateException("audit log " + location() + " has format " + format + "; this Portcullis reads"
            + " format " + FORMAT + ". Use the Portcullis version that wrote it, or point at another log.");
      }
    }
  }

  /**
   * The writer's INSERT, prepared once per writer connection and kept with it ({@code ChainWriter}): parsing and
   * planning the statement again for every commit cost as much as the insert itself.
   */
  final PreparedStatement prepareInsert(Connection c) throws SQLException {
    String marks = String.join(", ", Collections.nCopies(Row.COLUMNS.size(), "?"));
    return c.prepareStatement("INSERT INTO " + table() + " (" + String.join(", ", Row.COLUMNS) + ") VALUES (" + marks
        + ")");
  }

  /** Inserts {@code rows} with {@code insert} (from {@link #prepareInsert} on {@code c}) and commits them. */
  final void insert(Connection c, PreparedStatement insert, List<Row> rows) throws SQLException {
    if (rows.size() == 1) {
      RowMapper.bind(insert, rows.getFirst());
      insert.executeUpdate();
    } else {
      for (Row row : rows) {
        RowMapper.bind(insert, row);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    // sqlite-jdbc's commit() prepares "commit;" and "begin;" anew each time, but that is about 1.5 us of a lone
    // entry's 25-50 us commit: the same statements kept prepared cost more (its per-execute overhead), and an
    // autocommit INSERT would save at most 3 us for a second transaction scheme. Measured; left as is.
    c.commit();
  }

  final List<Row> tail(Connection c, int n) throws SQLException {
    List<Row> rows = new ArrayList<>(n);
    try (PreparedStatement ps = c.prepareStatement(RowMapper.select(table()) + " ORDER BY seq DESC LIMIT ?")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(RowMapper.read(rs));
        }
      }
    }
    return rows.reversed();
  }

  /** Feeds every row, in seq order, to {@code sink} until it returns false. */
  final void scan(RowSink sink) {
    try (Connection c = reader()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = streaming(c, RowMapper.select(table()) + " ORDER BY seq");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next() && sink.accept(RowMapper.read(rs))) {
          // the sink decides when to stop
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw failure("read the chain", e);
    }
  }

  /** Receives rows during a {@link #scan}. */
  interface RowSink {
    boolean accept(Row row);
  }

  private List<AuditRecord> query(String where, Object parameter, int limit) {
    List<AuditRecord> records = new ArrayList<>();
    try (Connection c = reader();
         PreparedStatement ps = c.prepareStatement(RowMapper.select(table()) + " " + where + " LIMIT ?")) {
      ps.setObject(1, parameter);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          records.add(AuditRecord.of(RowMapper.read(rs)));
        }
      }
    } catch (SQLException e) {
      throw failure("query entries", e);
    }
    return records;
  }

  final IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("audit log " + location() + ": could not " + what + ": " + e.getMessage(), e);
  }
}
