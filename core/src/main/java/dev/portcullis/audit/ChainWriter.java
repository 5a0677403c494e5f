package dev.portcullis.audit;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer behind {@link AuditLog}: takes whatever entries are waiting, chains them in queue order and
 * commits them in one transaction (group commit), then completes their futures. While one batch commits, the next one
 * gathers, so the hot path waits for one commit at most, never for a lock.
 */
final class ChainWriter implements Runnable {
  static final int MAX_BATCH = 1024;
  /** How many of the newest entries are re-checked before the chain is extended. */
  static final int TAIL_CHECK = 64;

  private static final Logger LOG = LoggerFactory.getLogger(ChainWriter.class);

  /** An encoded entry waiting for its place in the chain. */
  record Pending(Row.Content content, byte[] body, CompletableFuture<Long> done) {}

  private static final Pending STOP = new Pending(null, null, null);

  private final AuditStore store;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final MessageDigest sha256 = Row.sha256();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong failedCommits = new AtomicLong();
  private final LongAccumulator largestBatch = new LongAccumulator(Math::max, 0);
  private volatile boolean stopped;
  private Connection connection;
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

  void offer(Pending pending) {
    queue.add(pending);
    if (stopped && queue.remove(pending)) {
      pending.done().completeExceptionally(closed());
    }
  }

  /** Stops after everything queued before this call is committed. */
  void stop() {
    queue.add(STOP);
  }

  AuditLog.Stats stats() {
    return new AuditLog.Stats(entries.get(), commits.get(), failedCommits.get(), (int) largestBatch.get(),
        headSeq);
  }

  @Override
  public void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    try {
      while (!stopping) {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        int stop = batch.indexOf(STOP);
        if (stop >= 0) {
          stopping = true;
          batch.subList(stop, batch.size()).forEach(this::failIfPending);
          batch.subList(stop, batch.size()).clear();
        }
        if (!batch.isEmpty()) {
          commit(batch);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batch.forEach(this::failIfPending);
    } finally {
      stopped = true;
      for (Pending left; (left = queue.poll()) != null; ) {
        failIfPending(left);
      }
      if (connection != null) {
        store.releaseWriter(connection);
        connection = null;
      }
    }
  }

  private void commit(List<Pending> batch) {
    try {
      if (connection == null) {
        connect();
      }
      List<Row> rows = new ArrayList<>(batch.size());
      long seq = headSeq;
      String prev = headHash;
      for (Pending p : batch) {
        seq++;
        String hash = Row.hash(sha256, seq, prev, p.body());
        rows.add(new Row(seq, prev, hash, p.content()));
        prev = hash;
      }
      store.insert(connection, rows);
      headSeq = seq;
      headHash = prev;
      entries.addAndGet(rows.size());
      commits.incrementAndGet();
      largestBatch.accumulate(rows.size());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).done().complete(rows.get(i).seq());
      }
    } catch (SQLException | RuntimeException e) {
      failedCommits.incrementAndGet();
      LOG.error("audit log {}: {} entries not stored: {}", store.location(), batch.size(), e.toString());
      dropConnection();
      IllegalStateException failure = new IllegalStateException("audit log " + store.location()
          + ": entry not stored (" + e.getMessage() + "); the response must not be released", e);
      batch.forEach(p -> p.done().completeExceptionally(failure));
    }
  }

  /**
   * (Re)opens the writer connection and takes the head from the store, after checking the newest entries. Taking the
   * head from the store, not from memory, also settles a commit whose acknowledgement was lost with the connection.
   */
  private void connect() throws SQLException {
    connection = store.writer();
    try {
      List<Row> tail = store.tail(connection, TAIL_CHECK);
      connection.rollback();
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
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is being discarded anyway
      }
      store.releaseWriter(connection);
      connection = null;
    }
  }

  private void failIfPending(Pending p) {
    if (p != STOP) {
      p.done().completeExceptionally(closed());
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException("audit log " + store.location() + " is closed; entry not stored");
  }
}
