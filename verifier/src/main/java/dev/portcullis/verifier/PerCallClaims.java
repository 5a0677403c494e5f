package dev.portcullis.verifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a verified per-call token says: who called which tool with which arguments, on whose behalf, and until when.
 * The claim-name constants are the contract between the gateway that mints these tokens and the tools that check them.
 *
 * @param issuer the gateway that minted the token ({@code iss})
 * @param subject the agent that made the call ({@code sub})
 * @param actorChain the agents that delegated to the subject, root first and immediate parent last (from the nested
 *     {@code act} claim); empty for an agent acting on its own
 * @param audience the upstreams the token is for ({@code aud}); contains this tool server's own name
 * @param tool the tool the call may invoke ({@code scope}), as named by the upstream
 * @param argumentsHash base64url SHA-256 of the canonical arguments ({@code args_hash})
 * @param jti the token's unique id, accepted once
 * @param issuedAt when the token was minted
 * @param expiresAt when the token stops being accepted
 * @param claims every claim of the token, for anything else a tool wants to read
 */
public record PerCallClaims(
    String issuer,
    String subject,
    List<String> actorChain,
    List<String> audience,
    String tool,
    String argumentsHash,
    String jti,
    Instant issuedAt,
    Instant expiresAt,
    Map<String, Object> claims) {
  /** The JOSE {@code typ} header of a per-call token, so it can't be mistaken for any other JWT (RFC 8725 3.11). */
  public static final String TYPE = "portcullis-call+jwt";
  /** The claim naming the one tool the token allows. */
  public static final String SCOPE = "scope";
  /** The claim holding the arguments hash, see {@link CanonicalJson#sha256(String)}. */
  public static final String ARGS_HASH = "args_hash";
  /** The RFC 8693 actor claim; nested {@code act} objects name earlier delegators. */
  public static final String ACT = "act";

  public PerCallClaims {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    actorChain = List.copyOf(actorChain);
    audience = List.copyOf(audience);
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(argumentsHash, "argumentsHash");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(expiresAt, "expiresAt");
    claims = Map.copyOf(claims);
  }
}
