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
 *
 * <p>A 2026 call without a handle gets a session that is not stored ({@link #begin}): most such calls come from
 * clients that never echo the handle, and what the policy counts lives in the credential's state anyway. The session
 * is stored when its handle comes back. Each credential keeps at most {@link #MAX_SESSIONS_PER_CREDENTIAL} stored
 * sessions; opening one more drops its oldest.
 */
public final class Sessions {
  /** Stored sessions per credential; the oldest is dropped when one more opens. */
  public static final int MAX_SESSIONS_PER_CREDENTIAL = 1024;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final SecretKeySpec key;
  /**
   * Initialized HMACs for reuse (requests run on short-lived virtual threads, so a thread-local would not be reused).
   * A session's handle is computed once and kept in the session.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Mac> macs = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<String, CredentialState> credentials = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  /** credential id → the agent it authenticates, to revoke everything of an agent whose version changed. */
  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private final Duration idleTimeout;
  private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
  private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

  public Sessions(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** Why a presented handle was refused. */
  public static final class InvalidHandle extends Exception {
    InvalidHandle(String message) {
      super(message, null, false, false);
    }
  }

  /** Starts a new stored session for the agent's credential (2025 {@code initialize}, stdio). */
  public Session open(Agent agent) {
    Session session = begin(agent);
    store(session);
    return session;
  }

  /**
   * Starts a new trajectory for a 2026 call without a handle. The session is not stored: it costs nothing if the
   * client never echoes its handle, and {@link #resolve} stores it when the handle comes back.
   */
  public Session begin(Agent agent) {
    sweep();
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return new Session("s_" + B64.encodeToString(nonce), agent.id(), state(agent));
  }

  private CredentialState state(Agent agent) {
    CredentialState state = credentials.get(agent.credentialId());
    if (state == null) {
      owners.put(agent.credentialId(), agent.id());
      state = credentials.computeIfAbsent(agent.credentialId(), CredentialState::new);
    }
    state.touch();
    return state;
  }

  private void store(Session session) {
    sessions.put(session.id(), session);
    String evicted = session.state().admit(session.id(), MAX_SESSIONS_PER_CREDENTIAL);
    if (evicted != null) {
      sessions.remove(evicted);
    }
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
    String handle = session.handle();
    if (handle == null) {
      handle = session.id() + "." + mac(session.id(), session.credentialId());
      session.handle(handle);
    }
    return handle;
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
    Session known = sessions.get(id);
    if (known != null && known.handle() != null && known.credentialId().equals(agent.credentialId())
        && MessageDigest.isEqual(known.handle().getBytes(StandardCharsets.US_ASCII),
            handle.getBytes(StandardCharsets.US_ASCII))) {
      known.touch(); // the very handle this session was given (or verified with): no need to recompute the MAC
      return known;
    }
    byte[] expected = mac(id, agent.credentialId()).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = handle.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented)) {
      throw new InvalidHandle("session handle '" + abbreviate(handle)
          + "' was not issued to this credential (forged or foreign); omit it to start a new session");
    }
    Session session = sessions.get(id);
    if (session == null) {
      sweep();
      Session fresh = new Session(id, agent.id(), state(agent));
      fresh.handle(handle);
      session = sessions.putIfAbsent(id, fresh);
      if (session == null) {
        session = fresh;
        String evicted = fresh.state().admit(id, MAX_SESSIONS_PER_CREDENTIAL);
        if (evicted != null) {
          sessions.remove(evicted);
        }
      }
    }
    session.touch();
    return session;
  }

  /** Ends a session (2025 DELETE). The credential's state stays. */
  public void close(String id) {
    Session session = sessions.remove(id);
    if (session != null) {
      session.state().forget(id);
    }
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
    // A full pass over the tables at most once a second: sweeping on every open made each call O(sessions).
    if (sessions.size() + credentials.size() < 1024 || now - last < SWEEP_INTERVAL_NANOS
        || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    long cutoff = now - idleTimeout.toNanos();
    sessions.values().removeIf(s -> {
      if (s.lastSeenNanos() >= cutoff) {
        return false;
      }
      s.state().forget(s.id());
      return true;
    });
    credentials.values().removeIf(c -> c.lastSeenNanos() < cutoff && c.sessionCount() == 0);
    owners.keySet().retainAll(credentials.keySet());
  }

  private String mac(String id, String credentialId) {
    Mac mac = macs.poll();
    if (mac == null) {
      mac = newMac();
    }
    mac.update(id.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    mac.update(credentialId.getBytes(StandardCharsets.UTF_8));
    String tag = B64.encodeToString(mac.doFinal()).substring(0, 22); // doFinal resets the Mac for its next use
    macs.offer(mac);
    return tag;
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 24) + "...";
  }
}
