package dev.portcullis.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One audit store location per test, for each backend of the matrix: a SQLite file in a fresh temporary directory, or
 * a fresh schema in the PostgreSQL database {@code test} on 127.0.0.1:5432, dropped afterwards.
 *
 * <p>When PostgreSQL does not answer, the fixture tries to start the local cluster. If it still does not answer, the
 * PostgreSQL cases are skipped with a message, except under {@code CI=true}, where they fail.
 */
final class StoreFixture implements AutoCloseable {
  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String PG_USER = "postgres";

  enum Backend { SQLITE, POSTGRES }

  private static volatile String postgresProblem;
  private static volatile boolean postgresChecked;

  final Backend backend;
  private final Path dir;
  private final String schema;

  private StoreFixture(Backend backend, Path dir, String schema) {
    this.backend = backend;
    this.dir = dir;
    this.schema = schema;
  }

  /** The matrix every store test runs over. */
  static Stream<Backend> backends() {
    return Stream.of(Backend.values());
  }

  static StoreFixture create(Backend backend) {
    try {
      return switch (backend) {
        case SQLITE -> new StoreFixture(backend, Files.createTempDirectory("portcullis-audit-"), null);
        case POSTGRES -> {
          requirePostgres();
          yield new StoreFixture(backend, null, "audit_test_" + UUID.randomUUID().toString().replace("-", ""));
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens (creating) the store at this fixture's location; every call gives a new handle on the same log. */
  AuditStore open() {
    return switch (backend) {
      case SQLITE -> AuditStore.sqlite(file());
      case POSTGRES -> AuditStore.postgres(PG_URL, PG_USER, "", schema);
    };
  }

  AuditStore openForReading() {
    return switch (backend) {
      case SQLITE -> AuditStore.readSqlite(file());
      case POSTGRES -> AuditStore.readPostgres(PG_URL, PG_USER, "", schema);
    };
  }

  /** Arguments naming this location, for a child process. */
  List<String> locationArgs() {
    return switch (backend) {
      case SQLITE -> List.of("sqlite", file().toString());
      case POSTGRES -> List.of("postgres", PG_URL, schema);
    };
  }

  /** A raw connection outside Portcullis, as an attacker with database access would have. */
  Connection raw() throws SQLException {
    return switch (backend) {
      case SQLITE -> DriverManager.getConnection("jdbc:sqlite:" + file());
      case POSTGRES -> DriverManager.getConnection(PG_URL, PG_USER, "");
    };
  }

  String table() {
    return backend == Backend.SQLITE ? "audit_log" : schema + ".audit_log";
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = raw(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /**
   * Holds the database's write lock from another connection until closed, so the writer's next commit waits and
   * entries appended meanwhile pile up in its queue.
   */
  AutoCloseable blockWrites() throws SQLException {
    Connection c = raw();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      if (backend == Backend.SQLITE) {
        s.execute("DELETE FROM " + table() + " WHERE seq < 0"); // takes SQLite's write lock, changes nothing
      } else {
        s.execute("LOCK TABLE " + table() + " IN EXCLUSIVE MODE");
      }
    }
    return () -> {
      c.rollback();
      c.close();
    };
  }

  /** The SQLite file (SQLite backend only). */
  Path file() {
    return dir.resolve("audit.db");
  }

  @Override
  public void close() throws Exception {
    if (backend == Backend.SQLITE) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } else {
      try (Connection c = raw(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Override
  public String toString() {
    return backend.name().toLowerCase();
  }

  private static synchronized void requirePostgres() {
    if (!postgresChecked) {
      postgresProblem = reachPostgres();
      postgresChecked = true;
    }
    if (postgresProblem == null) {
      return;
    }
    String message = "PostgreSQL at " + PG_URL + " is not reachable (" + postgresProblem + ")";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(message + "; under CI=true the PostgreSQL store tests must run");
    }
    Assumptions.abort(message + "; skipping the PostgreSQL case (set CI=true to make this a failure)");
  }

  private static String reachPostgres() {
    String problem = tryConnect();
    if (problem == null) {
      return null;
    }
    startLocalCluster();
    for (int attempt = 0; attempt < 20 && problem != null; attempt++) {
      sleep(500);
      problem = tryConnect();
    }
    return problem;
  }

  private static String tryConnect() {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
      return c.isValid(2) ? null : "connection not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static void startLocalCluster() {
    String[] versions = new java.io.File("/etc/postgresql").list();
    if (versions == null || versions.length == 0) {
      return;
    }
    try {
      Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // pg_ctlcluster is not installed here; the connection attempts report the problem
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
