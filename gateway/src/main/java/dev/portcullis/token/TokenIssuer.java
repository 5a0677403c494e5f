package dev.portcullis.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.model.Agent;
import dev.portcullis.verifier.CanonicalJson;
import dev.portcullis.verifier.PerCallClaims;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Mints the short-lived JWT that goes with each allowed call to its upstream: who calls ({@code sub}, and {@code act}
 * for a sub-agent), which upstream ({@code aud}), which tool ({@code scope}), which exact arguments ({@code args_hash},
 * computed by the verifier library's own {@link CanonicalJson} so both sides agree), a unique {@code jti} and an
 * expiry of seconds. Tool servers check it with {@code dev.portcullis.verifier.PerCallTokenVerifier}.
 */
public final class TokenIssuer {
  /** Default lifetime of a per-call token. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(30);
  /** Longest lifetime allowed: the verifier refuses longer-lived tokens by default. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

  private static final SecureRandom[] RANDOMS = randoms();

  private final String issuer;
  private final SigningKeys keys;
  private final Duration lifetime;
  private final Clock clock;

  /**
   * @param issuer the gateway's issuer URL, what tool servers configure as the expected {@code iss}
   * @param lifetime how long each token is accepted; at least 1 s and at most {@link #MAX_LIFETIME}
   */
  public TokenIssuer(String issuer, SigningKeys keys, Duration lifetime, Clock clock) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("per-call token lifetime is " + lifetime + "; it must be between 1 s and "
          + MAX_LIFETIME.toSeconds() + " s (default " + DEFAULT_LIFETIME.toSeconds() + " s)");
    }
    this.lifetime = lifetime;
  }

  /** The {@code iss} of the tokens this issuer mints. */
  public String issuer() {
    return issuer;
  }

  /**
   * Mints the token for one call.
   *
   * @param agent the caller; its {@code actorChain} (root first) becomes the nested {@code act} claim
   * @param audience the upstream's name (what its verifier expects in {@code aud})
   * @param tool the tool's name on the upstream (not the catalog name)
   * @param arguments the arguments exactly as they will be forwarded; null or missing means none
   */
  public MintedToken mint(Agent agent, String audience, String tool, JsonNode arguments) {
    return mint(agent.id(), agent.actorChain(), audience, tool, () -> ArgumentsHash.of(arguments));
  }

  /** Mints the token for one call whose arguments are given as JSON text. */
  public MintedToken mint(String agentId, List<String> actorChain, String audience, String tool, String arguments) {
    return mint(agentId, actorChain, audience, tool, () -> CanonicalJson.sha256(arguments));
  }

  private MintedToken mint(String agentId, List<String> actorChain, String audience, String tool,
      Supplier<String> argsHash) {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(tool, "tool");
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    String jti = newJti();
    byte[] claims = PerCallPayload.json(issuer, agentId, audience, tool, argsHash.get(), jti, now.toEpochMilli(),
        expires.toEpochMilli(), actorChain);
    return new MintedToken(keys.sign(PerCallClaims.TYPE, claims), jti, expires);
  }

  /**
   * The RFC 8693 {@code act} claim for a delegation chain given root first: the immediate parent outermost, each
   * earlier delegator nested inside. Null for an empty chain.
   */
  public static Map<String, Object> actClaim(List<String> rootFirst) {
    Map<String, Object> act = null;
    for (String actor : rootFirst) {
      Map<String, Object> outer = new LinkedHashMap<>();
      outer.put("sub", Objects.requireNonNull(actor, "actor"));
      if (act != null) {
        outer.put("act", act);
      }
      act = outer;
    }
    return act;
  }

  /** 128 random bits, hex: unguessable and, in practice, unique. */
  static String newJti() {
    byte[] bytes = new byte[16];
    RANDOMS[(int) Thread.currentThread().threadId() & (RANDOMS.length - 1)].nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Where jtis come from: a few DRBG instances (NIST SP 800-90A Hash_DRBG, seeded from the operating system's entropy
   * source), each thread drawing from the one its id selects. {@code new SecureRandom()} on Linux is NativePRNG, which
   * serialises every caller in the process on one lock around a read of /dev/urandom: under concurrent calls that lock
   * cost about 3% of the gateway's CPU. A DRBG per thread would not do either: requests run on short-lived virtual
   * threads, and each would seed its own.
   */
  private static SecureRandom[] randoms() {
    int processors = Math.max(1, Runtime.getRuntime().availableProcessors());
    int stripes = Integer.highestOneBit(processors * 4 - 1) << 1; // a power of two, at least four per processor
    SecureRandom[] randoms = new SecureRandom[stripes];
    for (int i = 0; i < stripes; i++) {
      try {
        randoms[i] = SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no DRBG SecureRandom", e);
      }
    }
    return randoms;
  }

  /**
   * A minted token with what the audit log records about it.
   *
   * @param token the compact JWS; a secret until it expires, so never logged ({@link #toString()} omits it)
   * @param jti the token's id
   * @param expiresAt when it stops being accepted
   */
  public record MintedToken(String token, String jti, Instant expiresAt) {
    public MintedToken {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(jti, "jti");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
      return "MintedToken[jti=" + jti + ", expiresAt=" + expiresAt + "]";
    }
  }
}
