package dev.portcullis.audit;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer behind {@link AuditLog}, with leader/follower group commit on the appending threads themselves: an
 * appender queues its entry and, when no commit is running, becomes the leader: it takes everything queued, chains it
 * in queue order and commits it in one transaction. Appenders arriving meanwhile queue and wait (followers); when the
 * leader is done, one of those still waiting leads the next batch. No thread hand-off on the hot path, and the hot
 * path waits for one commit at most, never for a lock held across a commit.
 *
 * <p>Appends that do not wait ({@link AuditLog#append}) start a virtual thread to lead when no commit is running.
 */
final class ChainWriter {
  static final int MAX_BATCH = 1024;
  /** How many of the newest entries are re-checked before the chain is extended. */
  static final int TAIL_CHECK = 64;

  private static final Logger LOG = LoggerFactory.getLogger(ChainWriter.class);

  /** An encoded entry waiting for its place in the chain; settled once committed or failed. */
  static final class Pending {
    private final Row.Content content;
    private final byte[] body;
    private final CompletableFuture<Long> done; // null when the appender waits itself
    private volatile boolean settled;
    private long seq;
    private RuntimeException failure;

    Pending(Row.Content content, byte[] body, CompletableFuture<Long> done) {
      this.content = content;
      this.body = body;
      this.done = done;
    }

    private void succeed(long seq) {
      this.seq = seq;
      settled = true;
      if (done != null) {
        done.complete(seq);
      }
    }

    private void fail(RuntimeException failure) {
      this.failure = failure;
      settled = true;
      if (done != null) {
        done.completeExceptionally(failure);
      }
    }
  }

  private final AuditStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition committed = lock.newCondition();
  private final MessageDigest sha256 = Row.sha256();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong failedCommits = new AtomicLong();
  private final LongAccumulator largestBatch = new LongAccumulator(Math::max, 0);
  // guarded by lock
  private List<Pending> queue = new ArrayList<>();
  private boolean leading;
  private boolean drainerStarted;
  private boolean stopped;
  // used only by the leader (one at a time; the lock hands it over)
  private Connection connection;
  private PreparedStatement insert;
  private volatile long headSeq;
  private String headHash;

  /** Opens the writer connection and resumes from the stored tail; throws when the tail does not verify. */
  ChainWriter(AuditStore store) {
    this.store = store;
    try {
      connect();
    } catch (SQLException e) {
      throw store.failure("open the writer connection", e);
    }
  }

  /** Queues {@code pending} and returns at once; a virtual thread leads the commit when no one else does. */
  void offer(Pending pending) {
    lock.lock();
    try {
      if (stopped) {
        pending.fail(closed());
        return;
      }
      queue.add(pending);
      if (!leading && !drainerStarted) {
        drainerStarted = true;
        Thread.ofVirtual().name("portcullis-audit-commit").start(this::drain);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code pending} and returns its sequence number once committed, leading the commit on this thread when no
   * commit is running. Throws when the entry could not be stored (then the response must not be released).
   */
  long commit(Pending pending) {
    lock.lock();
    try {
      if (stopped) {
        throw closed();
      }
      queue.add(pending);
      while (!pending.settled) {
        if (leading) {
          committed.awaitUninterruptibly();
        } else {
          leadOnce();
        }
      }
    } finally {
      lock.unlock();
    }
    if (pending.failure != null) {
      throw pending.failure;
    }
    return pending.seq;
  }

  /** Commits everything queued before this call, then refuses further entries and releases the connection. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      while (leading || !queue.isEmpty()) {
        if (leading) {
          committed.awaitUninterruptibly();
        } else {
          leadOnce();
        }
      }
      releaseConnection();
    } finally {
      lock.unlock();
    }
  }

  AuditLog.Stats stats() {
    return new AuditLog.Stats(entries.get(), commits.get(), failedCommits.get(), (int) largestBatch.get(),
        headSeq);
  }

  /** What the virtual thread started by {@link #offer} runs: lead until nothing is queued. */
  private void drain() {
    lock.lock();
    try {
      while (!queue.isEmpty()) {
        if (leading) {
          committed.awaitUninterruptibly();
        } else {
          leadOnce();
        }
      }
    } finally {
      drainerStarted = false;
      lock.unlock();
    }
  }

  /** Called holding the lock with no leader: takes up to {@link #MAX_BATCH} queued entries and commits them. */
  private void leadOnce() {
    List<Pending> batch;
    if (queue.size() <= MAX_BATCH) {
      batch = queue;
      queue = new ArrayList<>();
    } else {
      List<Pending> head = queue.subList(0, MAX_BATCH);
      batch = new ArrayList<>(head);
      head.clear();
    }
    leading = true;
    lock.unlock();
    try {
      commitBatch(batch);
    } finally {
      lock.lock();
      leading = false;
      committed.signalAll();
      // Waiting appenders lead their own entries; entries of appenders that do not wait need a leader started.
      if (!drainerStarted && queue.stream().anyMatch(p -> p.done != null)) {
        drainerStarted = true;
        Thread.ofVirtual().name("portcullis-audit-commit").start(this::drain);
      }
    }
  }

  private void commitBatch(List<Pending> batch) {
    try {
      if (connection == null) {
        connect();
      }
      List<Row> rows = new ArrayList<>(batch.size());
      long seq = headSeq;
      String prev = headHash;
      for (Pending p : batch) {
        seq++;
        String hash = Row.hash(sha256, seq, prev, p.body);
        rows.add(new Row(seq, prev, hash, p.content));
        prev = hash;
      }
      store.insert(connection, insert, rows);
      headSeq = seq;
      headHash = prev;
      entries.addAndGet(rows.size());
      commits.incrementAndGet();
      largestBatch.accumulate(rows.size());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).succeed(rows.get(i).seq());
      }
    } catch (SQLException | RuntimeException e) {
      failedCommits.incrementAndGet();
      LOG.error("audit log {}: {} entries not stored: {}", store.location(), batch.size(), e.toString());
      dropConnection();
      IllegalStateException failure = new IllegalStateException("audit log " + store.location()
          + ": entry not stored (" + e.getMessage() + "); the response must not be released", e);
      batch.forEach(p -> p.fail(failure));
    }
  }

  /**
   * (Re)opens the writer connection and takes the head from the store, after checking the newest entries. Taking the
   * head from the store, not from memory, also settles a commit whose acknowledgement was lost with the connection.
   */
  private void connect() throws SQLException {
    connection = store.writer();
    try {
      resume(store.tail(connection, TAIL_CHECK));
      connection.rollback();
      insert = store.prepareInsert(connection);
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  /** Takes the head from the newest stored rows, once they verify. */
  private void resume(List<Row> tail) {
    if (tail.isEmpty()) {
      headSeq = 0;
      headHash = Row.GENESIS;
      return;
    }
    ChainCheck check = new ChainCheck(tail.getFirst().seq(), tail.getFirst().prevHash());
    tail.forEach(check::accept);
    if (check.result() instanceof Verification.Broken broken) {
      throw new IllegalStateException("audit log " + store.location() + " was changed outside Portcullis and will"
          + " not be extended: " + broken.message() + ". Run `portcullis audit verify` on it for the first broken"
          + " entry, keep it as evidence, and point the gateway at a new audit log.");
    }
    headSeq = tail.getLast().seq();
    headHash = tail.getLast().hash();
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is being discarded anyway
      }
      releaseConnection();
    }
  }

  /** Closes the prepared insert and hands the connection back (with its lock against other writers). */
  private void releaseConnection() {
    if (insert != null) {
      try {
        insert.close();
      } catch (SQLException ignored) {
        // the connection goes next
      }
      insert = null;
    }
    if (connection != null) {
      store.releaseWriter(connection);
      connection = null;
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException("audit log " + store.location() + " is closed; entry not stored");
  }
}
