package dev.portcullis.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The server store: one PostgreSQL schema holding {@code audit_log} and {@code audit_meta}, reached through a small
 * HikariCP pool. The writer keeps one pooled connection and a session advisory lock on the schema's name, so a second
 * gateway pointed at the same schema is refused instead of forking the chain.
 */
final class PostgresStore extends AuditStore {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int FETCH_SIZE = 500;

  private final String url;
  private final String schema;
  private final HikariDataSource pool;

  PostgresStore(String jdbcUrl, String user, String password, String schema, boolean create) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("PostgreSQL audit log URL '" + jdbcUrl + "' does not start with"
          + " 'jdbc:postgresql:'; write it like jdbc:postgresql://127.0.0.1:5432/portcullis");
    }
    if (schema == null || !SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("PostgreSQL audit schema '" + schema + "' is not a plain lower-case"
          + " identifier; use letters a-z, digits and '_', starting with a letter or '_' (e.g. portcullis)");
    }
    this.url = jdbcUrl.replaceAll("password=[^&]*", "password=***");
    this.schema = schema;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName("portcullis-audit-" + schema);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("ApplicationName", "portcullis-audit");
    try {
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("audit log " + location() + ": could not connect: " + rootMessage(e)
          + ". Check that PostgreSQL is running and the URL, user and password are right.", e);
    }
    try (Connection c = pool.getConnection()) {
      if (create) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        createOrCheck(c, "BIGINT", "BIGINT");
        c.commit();
      } else if (!tableExists(c)) {
        throw new IllegalArgumentException("no audit log at " + location() + ": schema '" + schema + "' has no "
            + META + " table. Pass the schema the gateway writes to (--schema).");
      } else {
        checkFormat(c);
      }
    } catch (SQLException e) {
      pool.close();
      throw failure("open the schema", e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  @Override
  public String location() {
    return "postgresql:" + url + " schema " + schema;
  }

  @Override
  Connection reader() throws SQLException {
    return pool.getConnection();
  }

  @Override
  Connection writer() throws SQLException {
    Connection c = pool.getConnection();
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      ps.setString(1, lockName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1)) {
          c.close();
          throw new IllegalStateException("audit log " + location() + " is already being written by another"
              + " gateway (advisory lock '" + lockName() + "' is held). Stop it or give this one its own schema.");
        }
      }
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  @Override
  void releaseWriter(Connection writer) {
    try (writer) {
      writer.rollback();
      try (PreparedStatement ps = writer.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
        ps.setString(1, lockName());
        ps.execute();
      }
      writer.commit();
    } catch (SQLException ignored) {
      // a broken connection: the server drops its advisory locks with the session
    }
  }

  @Override
  String table() {
    return schema + "." + TABLE;
  }

  @Override
  String metaTable() {
    return schema + "." + META;
  }

  @Override
  PreparedStatement streaming(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setFetchSize(FETCH_SIZE); // with autocommit off, pgjdbc fetches through a cursor
    return ps;
  }

  @Override
  public void close() {
    pool.close();
  }

  private String lockName() {
    return "portcullis-audit:" + schema;
  }

  private boolean tableExists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
      ps.setString(1, schema);
      ps.setString(2, META);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
