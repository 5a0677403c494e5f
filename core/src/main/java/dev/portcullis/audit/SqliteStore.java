package dev.portcullis.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode. Readers open their own read-only connections and never block the
 * writer. A lock file next to the database keeps a second writer (another gateway on the same file) out.
 */
final class SqliteStore extends AuditStore {
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Path file;
  private final Durability durability;
  private final String url;
  private FileChannel lockChannel;
  private FileLock lock;

  SqliteStore(Path file, Durability durability, boolean create) {
    this.file = file.toAbsolutePath().normalize();
    this.durability = durability;
    this.url = "jdbc:sqlite:" + this.file;
    try {
      if (create) {
        Path dir = this.file.getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        try (Connection c = connect()) {
          createOrCheck(c, "INTEGER", "INTEGER");
          c.commit();
        }
      } else {
        if (!Files.isRegularFile(this.file)) {
          throw new IllegalArgumentException("no audit log at " + this.file + ": the file does not exist."
              + " Pass the path the gateway writes to (its audit configuration), e.g. --db data/audit.db");
        }
        try (Connection c = reader()) {
          checkFormat(c);
        } catch (SQLException e) {
          throw new IllegalArgumentException(this.file + " is not a Portcullis audit log (" + e.getMessage() + ")", e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("audit log " + location() + ": could not create its directory", e);
    } catch (SQLException e) {
      throw failure("open the database", e);
    }
  }

  @Override
  public String location() {
    return "sqlite:" + file;
  }

  @Override
  Connection reader() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    return config.createConnection(url);
  }

  @Override
  synchronized Connection writer() throws SQLException {
    lockAgainstOtherWriters();
    try {
      return connect();
    } catch (SQLException | RuntimeException e) {
      unlock();
      throw e;
    }
  }

  @Override
  synchronized void releaseWriter(Connection writer) {
    try {
      writer.close();
    } catch (SQLException ignored) {
      // closing a broken connection; the lock below is what matters
    }
    unlock();
  }

  @Override
  String table() {
    return TABLE;
  }

  @Override
  String metaTable() {
    return META;
  }

  @Override
  PreparedStatement streaming(Connection c, String sql) throws SQLException {
    return c.prepareStatement(sql); // SQLite steps through results lazily
  }

  @Override
  public synchronized void close() {
    unlock();
  }

  private Connection connect() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // In WAL mode a commit is in the operating system's hands when it returns: it survives the process being killed.
    // FULL adds an fsync of the WAL per commit (per batch, thanks to group commit), surviving power loss too.
    config.setSynchronous(durability == Durability.POWER_LOSS
        ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    // DEFERRED (the default) matters: sqlite-jdbc begins the next transaction right after each commit, and an
    // IMMEDIATE one would hold the write lock between batches.
    config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
    Connection c = config.createConnection(url);
    c.setAutoCommit(false);
    return c;
  }

  private void lockAgainstOtherWriters() {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    try {
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      unlock();
      throw new UncheckedIOException("audit log " + location() + ": could not open lock file " + lockFile, e);
    }
    if (lock == null) {
      unlock();
      throw new IllegalStateException("audit log " + location() + " is already being written (lock " + lockFile
          + " is held by another writer). Stop the other gateway or give this one its own audit file.");
    }
  }

  private void unlock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException ignored) {
      // the lock goes away with the channel, or with the process
    } finally {
      lock = null;
      lockChannel = null;
    }
  }
}
