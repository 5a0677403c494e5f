package dev.portcullis.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The tamper-evident audit log: every request is appended as an entry of a SHA-256 hash chain, and the response may
 * be released only once its entry is committed. Appends from many threads are committed together (group commit), so
 * they never queue behind each other's disk syncs; the commit runs on one of the appending threads (the leader), not
 * on a writer thread of its own.
 *
 * <pre>{@code
 * try (AuditStore store = AuditStore.sqlite(Path.of("data/audit.db"));
 *      AuditLog log = AuditLog.start(store, Redactor.secrets())) {
 *   long seq = log.appendAndWait(entry);   // committed: the response may go out
 * }
 * }</pre>
 */
public final class AuditLog implements AutoCloseable {
  private final AuditStore store;
  private final Encoder encoder;
  private final ChainWriter writer;
  private volatile boolean closed;

  private AuditLog(AuditStore store, Redactor redactor) {
    this.store = store;
    this.encoder = new Encoder(redactor);
    this.writer = new ChainWriter(store);
  }

  /**
   * Starts writing to {@code store}, continuing its chain. Fails when another writer holds the store, or when the
   * newest entries do not verify (the log was changed outside Portcullis; it is not extended, so the damage stays
   * visible).
   *
   * @param redactor applied to arguments, client info, result and extra facts before they are hashed and stored
   */
  public static AuditLog start(AuditStore store, Redactor redactor) {
    return new AuditLog(Objects.requireNonNull(store, "store"), Objects.requireNonNull(redactor, "redactor"));
  }

  /**
   * Appends {@code entry} and returns its sequence number once it is committed: what the request path calls before it
   * releases a response. Redaction, serialization and (when no other commit is running) the commit itself happen on
   * the calling thread; appends arriving during a commit are committed together in the next one.
   *
   * @throws IllegalStateException when the entry could not be encoded or stored, or the log is closed (then the
   *     response must not be released)
   */
  public long appendAndWait(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    if (closed) {
      throw closedFailure();
    }
    Row.Content content = encode(entry);
    return writer.commit(new ChainWriter.Pending(content, content.body(), null));
  }

  /**
   * Appends {@code entry} without waiting. Redaction and serialization happen on the calling thread; the returned
   * future completes with the entry's sequence number once the entry is committed, or exceptionally when it could not
   * be stored (then the response must not be released). Futures complete on the committing thread: wait with
   * {@code join()}, or attach only cheap or {@code *Async} continuations.
   */
  public CompletableFuture<Long> append(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    if (closed) {
      return CompletableFuture.failedFuture(closedFailure());
    }
    Row.Content content;
    try {
      content = encode(entry);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    writer.offer(new ChainWriter.Pending(content, content.body(), done));
    return done;
  }

  private Row.Content encode(AuditEntry entry) {
    try {
      return encoder.encode(entry);
    } catch (RuntimeException e) {
      throw new IllegalStateException("audit entry for request '" + entry.requestId() + "' could not be encoded: "
          + e.getMessage(), e);
    }
  }

  private IllegalStateException closedFailure() {
    return new IllegalStateException("audit log " + store.location() + " is closed; entry not stored");
  }

  /** Counters since start: how many entries in how many commits. */
  public Stats stats() {
    return writer.stats();
  }

  /** Commits what is queued, then stops the writer and releases the store's writer lock. Appends after this fail. */
  @Override
  public void close() {
    closed = true;
    writer.stop();
  }

  /** Walks the whole chain in {@code store} and reports the first entry whose content or position was changed. */
  public static Verification verify(AuditStore store) {
    return verify(store, Map.of());
  }

  /**
   * Like {@link #verify(AuditStore)}, and also checks anchors: hashes of entries recorded earlier, outside the
   * database (e.g. the head printed by a previous verify). An anchor catches what the chain alone cannot: the tail
   * cut off, or the whole chain rewritten from some entry on.
   *
   * @param anchors sequence number to the hash that entry had
   */
  public static Verification verify(AuditStore store, Map<Long, String> anchors) {
    ChainCheck check = ChainCheck.fromGenesis(anchors);
    store.scan(check::accept);
    return check.result();
  }

  /** A session's entries as a readable timeline (see docs/audit.md); says so when the session has none. */
  public static String trace(AuditStore store, String sessionId) {
    List<AuditRecord> records = store.session(sessionId);
    return records.isEmpty()
        ? "no entries for session '" + TraceRenderer.safe(sessionId) + "' in " + store.location() + "\n"
        : trace(sessionId, records);
  }

  /** Renders {@code records} (one session's entries, in chain order, at least one) as a readable timeline. */
  public static String trace(String sessionId, List<AuditRecord> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no entries to trace for session '" + sessionId + "'");
    }
    return TraceRenderer.render(sessionId, records);
  }

  /**
   * Writer counters.
   *
   * @param entries entries committed since start
   * @param commits transactions that committed them; {@code entries / commits} is the mean group-commit batch
   * @param failedCommits transactions that failed (their entries' futures failed)
   * @param largestBatch the most entries committed in one transaction
   * @param headSeq the newest entry's sequence number (0 for an empty log)
   */
  public record Stats(long entries, long commits, long failedCommits, int largestBatch, long headSeq) {}
}
