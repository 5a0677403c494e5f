package dev.portcullis.identity;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of authenticating a bearer token: who the agent is, or why the request must be refused with which
 * HTTP status and OAuth error code (RFC 6750 section 3.1).
 */
public sealed interface AuthResult {
  /**
   * The token is genuine and current; {@code identity} is the agent it names.
   *
   * @param identity the agent as the token describes it
   * @param claims the token's claims as JSON values (nested maps and lists), for the policy's claim mapping; empty
   *     for the gateway's own sub-agent tokens
   */
  record Authenticated(AgentIdentity identity, Map<String, Object> claims) implements AuthResult {
    public Authenticated {
      Objects.requireNonNull(identity, "identity");
      claims = Collections.unmodifiableMap(new HashMap<>(claims));
    }

    public Authenticated(AgentIdentity identity) {
      this(identity, Map.of());
    }
  }

  /**
   * The request is refused. The message names what was wrong, never the token.
   *
   * @param reason a stable code for logs, metrics and tests
   * @param message a sentence for the agent ({@code error_description}) and the log
   */
  record Rejected(Reason reason, String message) implements AuthResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** 403 when the token is fine but lacks a scope, 401 otherwise. */
    public int status() {
      return reason == Reason.INSUFFICIENT_SCOPE ? 403 : 401;
    }

    /** The OAuth error code, or null when no token was sent (RFC 6750 asks for no error code then). */
    public String error() {
      return switch (reason) {
        case MISSING_TOKEN -> null;
        case INSUFFICIENT_SCOPE -> "insufficient_scope";
        default -> "invalid_token";
      };
    }

    @Override
    public String toString() {
      return reason + ": " + message;
    }
  }

  /** Why a bearer token was refused. */
  enum Reason {
    /** No bearer token in the request. */
    MISSING_TOKEN,
    /** Not a compact JWS: truncated, bad base64url, not JSON. */
    MALFORMED,
    /** Longer than the 8 KiB accepted. */
    OVERSIZED,
    /** {@code alg: none}. */
    UNSIGNED,
    /** An algorithm outside the allow-list (HS256 included), or an encrypted token. */
    ALGORITHM_NOT_ALLOWED,
    /** A Portcullis token of another kind (a per-call token presented as an access token). */
    WRONG_TYPE,
    /** The issuer publishes no key with the token's {@code kid}, even after refetching its key set. */
    UNKNOWN_KEY,
    /** The issuer's key set could not be fetched. */
    KEYS_UNAVAILABLE,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** {@code iss} is not a trusted issuer. */
    WRONG_ISSUER,
    /** {@code aud} does not contain this gateway's resource URI (RFC 8707). */
    WRONG_AUDIENCE,
    /** {@code exp} has passed, beyond the clock skew. */
    EXPIRED,
    /** {@code nbf} or {@code iat} lies in the future, beyond the clock skew. */
    NOT_YET_VALID,
    /** A claim the mapping needs is absent or has the wrong type. */
    MISSING_CLAIM,
    /** The token is valid but lacks a scope this gateway requires (403). */
    INSUFFICIENT_SCOPE,
    /** The token is genuine but names no agent of the policy (no {@code oidc} mapping, or the agent was removed). */
    UNKNOWN_AGENT,
    /** The token was issued for an agent version that has been rotated since. */
    STALE_VERSION,
    /** A Portcullis API key ({@code pcl_…}) that the policy does not hold: unknown, revoked or mistyped. */
    INVALID_API_KEY
  }
}
