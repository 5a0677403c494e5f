package dev.portcullis.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.AuthResult.Authenticated;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import dev.portcullis.token.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Accepts the sub-agent access tokens {@link TokenExchange} issued, when a sub-agent presents one as its bearer token:
 * this gateway's own signature (keys from {@link SigningKeys}, no network), the sub-agent token type, {@code iss},
 * {@code aud} = this gateway, expiry, and well-formed roles, tools and delegation chain.
 */
public final class SubAgentTokenValidator {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256);

  private final String issuer;
  private final String resource;
  private final SigningKeys keys;
  private final Duration clockSkew;
  private final Clock clock;

  /**
   * @param issuer the gateway's issuer URL, as given to {@link TokenExchange}
   * @param resource the gateway's resource URI, as given to {@link TokenExchange}
   * @param clockSkew tolerance on expiry; the gateway checks its own tokens, so a few seconds suffice
   */
  public SubAgentTokenValidator(String issuer, String resource, SigningKeys keys, Duration clockSkew, Clock clock) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The gateway's issuer URL: bearer tokens with this {@code iss} are for this validator. */
  public String issuer() {
    return issuer;
  }

  /** Validates a bearer token; never throws for bad input. */
  public AuthResult validate(String token) {
    JwtChecks.Parsed parsed = JwtChecks.parse(token, ALGORITHMS);
    if (parsed.rejected() != null) {
      return parsed.rejected();
    }
    if (!new JOSEObjectType(SubAgentClaims.TYPE).equals(parsed.jwt().getHeader().getType())) {
      return new Rejected(Reason.WRONG_TYPE, "the bearer token's typ is " + parsed.jwt().getHeader().getType()
          + ", not " + SubAgentClaims.TYPE + "; per-call tokens are for upstreams, not for calling the gateway");
    }
    JWTClaimsSet claims = parsed.claims();
    if (!issuer.equals(claims.getIssuer())) {
      return new Rejected(Reason.WRONG_ISSUER, "the bearer token was issued by " + claims.getIssuer() + ", not by"
          + " this gateway (" + issuer + ")");
    }
    String kid = parsed.jwt().getHeader().getKeyID();
    Optional<JWK> key = kid == null ? Optional.empty() : keys.publicKey(kid);
    if (key.isEmpty()) {
      return new Rejected(Reason.UNKNOWN_KEY, "no live gateway signing key with kid " + kid + "; the key was rotated"
          + " out, so exchange a new token");
    }
    Rejected bad = JwtChecks.signature(parsed.jwt(), key.get());
    if (bad == null) {
      bad = JwtChecks.times(claims, clock.instant(), clockSkew);
    }
    if (bad != null) {
      return bad;
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(resource)) {
      return new Rejected(Reason.WRONG_AUDIENCE, "the bearer token is for " + claims.getAudience()
          + ", not for this gateway (" + resource + ")");
    }
    return identity(claims);
  }

  private AuthResult identity(JWTClaimsSet claims) {
    List<String> chain = SubAgentClaims.chain(claims.getClaim(SubAgentClaims.ACT));
    Set<String> roles = ClaimMapper.strings(claims.getClaim(SubAgentClaims.ROLES));
    Object tools = claims.getClaim(SubAgentClaims.TOOLS);
    Set<String> toolSet = tools == null ? Set.of() : ClaimMapper.strings(tools);
    Object attributes = claims.getClaim(SubAgentClaims.ATTRIBUTES);
    if (claims.getSubject() == null || claims.getJWTID() == null || chain == null || chain.isEmpty()
        || roles == null || toolSet == null || !(attributes == null || attributes instanceof Map<?, ?>)) {
      return new Rejected(Reason.MISSING_CLAIM, "the sub-agent token lacks a well-formed sub, jti, act, roles, tools"
          + " or attrs claim");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> attrs = attributes == null ? Map.of() : (Map<String, Object>) attributes;
    Object version = claims.getClaim(SubAgentClaims.VERSION);
    return new Authenticated(new AgentIdentity(issuer, claims.getSubject(),
        version instanceof String v ? v : "", roles, attrs, ClaimMapper.scopes(claims), chain,
        tools == null ? Optional.empty() : Optional.of(List.copyOf(toolSet)), task(claims),
        claims.getExpirationTime().toInstant()));
  }

  /**
   * The credential whose state the sub-agent shares: its task's (the root agent's), so labels and counters collected
   * by any agent of a task hold for all of them, and a flow rule cannot be bypassed by handing the next step to a
   * sub-agent.
   */
  private static String task(JWTClaimsSet claims) {
    return claims.getClaim(SubAgentClaims.TASK) instanceof String task && !task.isEmpty() ? task
        : "exchange:" + claims.getJWTID();
  }
}
