package dev.portcullis.session;

import dev.portcullis.model.SessionView;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A Portcullis session: one trajectory of calls by one credential. Its id groups calls in the audit log; the counters
 * and labels it shows the policy are the credential's (see docs/sessions.md).
 */
public final class Session implements SessionView {
  private final String id;
  private final String agentId;
  private final CredentialState state;
  private final Instant startedAt = Instant.now();
  private volatile long lastSeenNanos = System.nanoTime();
  private volatile String handle;

  Session(String id, String agentId, CredentialState state) {
    this.id = id;
    this.agentId = agentId;
    this.state = state;
  }

  @Override
  public String id() {
    return id;
  }

  public String agentId() {
    return agentId;
  }

  /** The credential this session is bound to. */
  public String credentialId() {
    return state.credentialId();
  }

  @Override
  public Instant startedAt() {
    return state.startedAt();
  }

  /** When this particular trajectory started (the credential's state may be older). */
  public Instant trajectoryStartedAt() {
    return startedAt;
  }

  @Override
  public long calls() {
    return state.calls();
  }

  @Override
  public Set<String> labels() {
    return state.labels();
  }

  @Override
  public List<String> toolsCalled() {
    return state.toolsCalled();
  }

  /** Counts one tool call against the credential, whatever its outcome. */
  public void countCall() {
    state.countCall();
    lastSeenNanos = System.nanoTime();
  }

  /** Records an allowed tool call: its labels join the credential's labels (flow rules read them). */
  public void recordToolCalled(String tool, Set<String> toolLabels) {
    state.recordToolCalled(tool, toolLabels);
  }

  CredentialState state() {
    return state;
  }

  /** The signed 2026 handle, once computed. */
  String handle() {
    return handle;
  }

  void handle(String handle) {
    this.handle = handle;
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  void touch() {
    lastSeenNanos = System.nanoTime();
  }
}
