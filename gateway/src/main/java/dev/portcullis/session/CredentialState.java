package dev.portcullis.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the policy counts about one credential: calls, collected labels, tools called. It belongs to the credential,
 * not to any session handle, so an agent cannot shed it by dropping or forging a handle.
 */
final class CredentialState {
  private final String credentialId;
  private final Instant startedAt = Instant.now();
  private final AtomicLong calls = new AtomicLong();
  private final Set<String> labels = ConcurrentHashMap.newKeySet();
  private final List<String> toolsCalled = new ArrayList<>();
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

  Set<String> labels() {
    return Set.copyOf(labels);
  }

  synchronized List<String> toolsCalled() {
    return List.copyOf(toolsCalled);
  }

  void countCall() {
    calls.incrementAndGet();
    lastSeenNanos = System.nanoTime();
  }

  void recordToolCalled(String tool, Set<String> toolLabels) {
    labels.addAll(toolLabels);
    synchronized (this) {
      toolsCalled.add(tool);
    }
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }
}
