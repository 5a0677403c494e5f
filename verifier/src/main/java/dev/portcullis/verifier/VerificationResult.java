package dev.portcullis.verifier;

import java.util.Objects;

/** The outcome of checking one per-call token: the verified claims, or the one reason the call must be refused. */
public sealed interface VerificationResult {
  /** True when the token is valid for this call. */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The token is genuine, unexpired, unused, and made for exactly this tool and these arguments. */
  record Valid(PerCallClaims claims) implements VerificationResult {
    public Valid {
      Objects.requireNonNull(claims, "claims");
    }
  }

  /**
   * The call must be refused. The message names what was wrong and never contains the token.
   *
   * @param reason a stable code to branch on or log
   * @param message a sentence for logs and for the error returned to the caller
   */
  record Invalid(Reason reason, String message) implements VerificationResult {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return reason + ": " + message;
    }
  }

  /** Why a token was refused. */
  enum Reason {
    /** No token, or not three base64url parts of JSON. */
    MALFORMED,
    /** Longer than the verifier accepts. */
    OVERSIZED,
    /** {@code alg: none}: an unsigned token. */
    UNSIGNED,
    /** Signed with an algorithm outside ES256 and EdDSA (HS256 included), or encrypted. */
    ALGORITHM_NOT_ALLOWED,
    /** The {@code typ} header is not {@value PerCallClaims#TYPE}: some other kind of JWT. */
    WRONG_TYPE,
    /** No key with the token's {@code kid} in the gateway's JWKS, even after refetching it. */
    UNKNOWN_KEY,
    /** The gateway's JWKS could not be fetched and no keys are cached. */
    KEYS_UNAVAILABLE,
    /** The signature does not verify with the gateway's key. */
    BAD_SIGNATURE,
    /** {@code iss} is not the expected gateway. */
    WRONG_ISSUER,
    /** {@code aud} does not name this tool server. */
    WRONG_AUDIENCE,
    /** {@code exp} has passed (beyond the allowed clock skew). */
    EXPIRED,
    /** {@code nbf} or {@code iat} lies in the future (beyond the allowed clock skew). */
    NOT_YET_VALID,
    /** The token lives longer than the verifier allows, so its replay entry could not be bounded. */
    LIFETIME_TOO_LONG,
    /** A required claim is absent or has the wrong type. */
    MISSING_CLAIM,
    /** The token was minted for another tool. */
    WRONG_TOOL,
    /** The token was minted for other arguments, or the arguments are not a JSON object. */
    WRONG_ARGUMENTS,
    /** The token's {@code jti} was already accepted once. */
    REPLAYED,
    /** The replay cache is full of unexpired entries; refusing is safer than forgetting one. */
    REPLAY_CACHE_FULL
  }
}
