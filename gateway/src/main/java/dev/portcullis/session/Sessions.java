package dev.portcullis.session;

import dev.portcullis.model.Agent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * All live sessions and the per-credential state behind them. On the 2026 wire a session is named by a handle that
 * Portcullis mints and signs, bound to the credential: a handle presented with another credential, or one whose
 * signature does not verify, is refused; a dropped handle starts a new trajectory but keeps the credential's state.
 */
public final class Sessions {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final byte[] key = new byte[32];
  private final Map<String, CredentialState> credentials = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  /** credential id → the agent it authenticates, to revoke everything of an agent whose version changed. */
  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private final Duration idleTimeout;
  private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
  private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

  public Sessions(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    random.nextBytes(key);
  }

  /** Why a presented handle was refused. */
  public static final class InvalidHandle extends Exception {
    InvalidHandle(String message) {
      super(message, null, false, false);
    }
  }

  /** Starts a new session for the agent's credential (2025 {@code initialize}, or a 2026 call without a handle). */
  public Session open(Agent agent) {
    sweep();
    owners.put(agent.credentialId(), agent.id());
    CredentialState state = credentials.computeIfAbsent(agent.credentialId(), CredentialState::new);
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String id = "s_" + B64.encodeToString(nonce);
    Session session = new Session(id, agent.id(), state);
    sessions.put(id, session);
    return session;
  }

  /** The session a 2025 client named with {@code Mcp-Session-Id}, if it exists and belongs to this credential. */
  public Optional<Session> find(String id, Agent agent) {
    Session session = sessions.get(id);
    if (session == null || !session.credentialId().equals(agent.credentialId())) {
      return Optional.empty();
    }
    session.touch();
    return Optional.of(session);
  }

  /** The signed handle for a session, echoed to 2026 clients in {@code _meta}. */
  public String handle(Session session) {
    return session.id() + "." + mac(session.id(), session.credentialId());
  }

  /**
   * Resolves a 2026 handle: the session it names when the signature verifies for this credential; a new session when
   * the handle names a session that expired.
   */
  public Session resolve(String handle, Agent agent) throws InvalidHandle {
    int dot = handle.lastIndexOf('.');
    if (dot <= 0 || !handle.startsWith("s_")) {
      throw new InvalidHandle("session handle '" + abbreviate(handle) + "' is not one Portcullis issued; omit it to start a new session");
    }
    String id = handle.substring(0, dot);
    byte[] expected = mac(id, agent.credentialId()).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = handle.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented)) {
      throw new InvalidHandle("session handle '" + abbreviate(handle)
          + "' was not issued to this credential (forged or foreign); omit it to start a new session");
    }
    Session session = sessions.get(id);
    if (session == null) {
      owners.put(agent.credentialId(), agent.id());
      CredentialState state = credentials.computeIfAbsent(agent.credentialId(), CredentialState::new);
      session = sessions.computeIfAbsent(id, k -> new Session(k, agent.id(), state));
    }
    session.touch();
    return session;
  }

  /** Ends a session (2025 DELETE). The credential's state stays. */
  public void close(String id) {
    sessions.remove(id);
  }

  /** Drops every session and all state of a credential (revocation after an agent's version changes). */
  public void revokeCredential(String credentialId) {
    credentials.remove(credentialId);
    owners.remove(credentialId);
    sessions.values().removeIf(s -> s.credentialId().equals(credentialId));
  }

  /**
   * Drops every session and all per-credential state of an agent and of its sub-agents ({@code agent/…}), whatever
   * credential they used: what happens when the agent's version changes.
   *
   * @return how many credentials lost their state
   */
  public int revokeAgent(String agentId) {
    java.util.Set<String> revoked = new java.util.HashSet<>();
    owners.forEach((credential, owner) -> {
      if (owner.equals(agentId) || owner.startsWith(agentId + "/")) {
        revoked.add(credential);
      }
    });
    sessions.values().forEach(s -> {
      if (s.agentId().equals(agentId) || s.agentId().startsWith(agentId + "/")) {
        revoked.add(s.credentialId());
      }
    });
    revoked.forEach(this::revokeCredential);
    return revoked.size();
  }

  public int size() {
    return sessions.size();
  }

  private void sweep() {
    long now = System.nanoTime();
    long last = lastSweep.get();
    // A full pass over the table at most once a second: sweeping on every open made each call O(sessions).
    if (sessions.size() < 1024 || now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    long cutoff = now - idleTimeout.toNanos();
    sessions.values().removeIf(s -> s.lastSeenNanos() < cutoff);
    credentials.values().removeIf(c -> c.lastSeenNanos() < cutoff
        && sessions.values().stream().noneMatch(s -> s.credentialId().equals(c.credentialId())));
    owners.keySet().retainAll(credentials.keySet());
  }

  private String mac(String id, String credentialId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(id.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(credentialId.getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(mac.doFinal()).substring(0, 22);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 24) + "...";
  }
}
