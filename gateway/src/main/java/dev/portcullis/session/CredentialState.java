package dev.portcullis.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the policy counts about one credential: calls, collected labels, tools called. It belongs to the credential,
 * not to any session handle, so an agent cannot shed it by dropping or forging a handle.
 *
 * <p>Labels and tools called are kept as immutable snapshots that change only when something new is added: the policy
 * reads them without a copy, and repeated calls of the same tool add nothing (each tool is listed once, in the order
 * of its first call, so the list is bounded by the catalog, not by the number of calls).
 */
final class CredentialState {
  private final String credentialId;
  private final Instant startedAt = Instant.now();
  private final AtomicLong calls = new AtomicLong();
  private volatile Set<String> labels = Set.of();
  private volatile List<String> toolsCalled = List.of();
  private final Set<String> toolSet = new HashSet<>(); // guarded by this
  /** Ids of this credential's stored sessions, oldest first; guarded by this. */
  private final LinkedHashSet<String> sessionIds = new LinkedHashSet<>();
  private volatile long lastSeenNanos = System.nanoTime();

  CredentialState(String credentialId) {
    this.credentialId = credentialId;
  }

  String credentialId() {
    return credentialId;
  }

  Instant startedAt() {
    return startedAt;
  }

  long calls() {
    return calls.get();
  }

  /** The labels collected so far: an immutable snapshot, not a copy. */
  Set<String> labels() {
    return labels;
  }

  /** Each tool called so far, once, in order of first call: an immutable snapshot, not a copy. */
  List<String> toolsCalled() {
    return toolsCalled;
  }

  void countCall() {
    calls.incrementAndGet();
    touch();
  }

  void touch() {
    lastSeenNanos = System.nanoTime();
  }

  void recordToolCalled(String tool, Set<String> toolLabels) {
    Set<String> current = labels;
    boolean newLabels = !current.containsAll(toolLabels);
    if (!newLabels && toolsCalled.contains(tool)) {
      return; // the common case: nothing new, no lock, no allocation
    }
    synchronized (this) {
      if (!labels.containsAll(toolLabels)) {
        Set<String> merged = new LinkedHashSet<>(labels);
        merged.addAll(toolLabels);
        labels = Set.copyOf(merged);
      }
      if (toolSet.add(tool)) {
        List<String> next = new ArrayList<>(toolsCalled.size() + 1);
        next.addAll(toolsCalled);
        next.add(tool);
        toolsCalled = List.copyOf(next);
      }
    }
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  /**
   * Counts a newly stored session of this credential; returns the id of the oldest one when that makes more than
   * {@code cap} (the caller drops it), else null.
   */
  synchronized String admit(String sessionId, int cap) {
    sessionIds.add(sessionId);
    if (sessionIds.size() <= cap) {
      return null;
    }
    Iterator<String> oldest = sessionIds.iterator();
    String evicted = oldest.next();
    oldest.remove();
    return evicted;
  }

  synchronized void forget(String sessionId) {
    sessionIds.remove(sessionId);
  }

  synchronized int sessionCount() {
    return sessionIds.size();
  }
}
