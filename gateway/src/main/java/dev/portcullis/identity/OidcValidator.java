package dev.portcullis.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.AuthResult.Authenticated;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Validates agents' OAuth access tokens from one external identity provider, as the resource server the MCP
 * authorization spec asks Portcullis to be: signature with the IdP's published keys (discovered from its metadata,
 * cached, refetched on an unknown {@code kid} at most once per interval), {@code iss}, {@code aud} containing this
 * gateway's resource URI (RFC 8707), {@code exp}/{@code nbf} with a small skew, an algorithm allow-list, and size.
 * The claims then map to an {@link AgentIdentity} through an {@link OidcAgentMapping}.
 *
 * <p>Thread-safe; build one per trusted issuer at start-up.
 */
public final class OidcValidator {
  /** Algorithms accepted unless configured otherwise: RSA and ECDSA signatures, never HMAC or none. */
  public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private final OidcAgentMapping mapping;
  private final String resource;
  private final Set<JWSAlgorithm> algorithms;
  private final Duration clockSkew;
  private final Set<String> requiredScopes;
  private final JWKSource<SecurityContext> keys;
  private final Clock clock;

  private OidcValidator(Builder b, JWKSource<SecurityContext> keys) {
    this.mapping = b.mapping;
    this.resource = b.resource;
    this.algorithms = b.algorithms;
    this.clockSkew = b.clockSkew;
    this.requiredScopes = b.requiredScopes;
    this.keys = keys;
    this.clock = b.clock;
  }

  /**
   * Starts describing a validator for the IdP of {@code mapping}, for a gateway whose resource URI (what agents'
   * tokens must carry in {@code aud}) is {@code resource}.
   */
  public static Builder builder(OidcAgentMapping mapping, String resource) {
    return new Builder(mapping, resource);
  }

  /** The issuer this validator trusts. */
  public String issuer() {
    return mapping.issuer();
  }

  /** Validates a bearer token (the part after {@code Bearer }); never throws for bad input. */
  public AuthResult validate(String token) {
    JwtChecks.Parsed parsed = JwtChecks.parse(token, algorithms);
    if (parsed.rejected() != null) {
      return parsed.rejected();
    }
    JWTClaimsSet claims = parsed.claims();
    // Reject a foreign issuer before looking up keys: a rejection needs no signature, and a forged kid from an
    // unknown issuer then costs no key-set fetch.
    if (!mapping.issuer().equals(claims.getIssuer())) {
      return new Rejected(Reason.WRONG_ISSUER, "the bearer token was issued by " + claims.getIssuer()
          + ", not by the trusted issuer " + mapping.issuer());
    }
    String kid = parsed.jwt().getHeader().getKeyID();
    Optional<JWK> key;
    try {
      key = findKey(kid);
    } catch (RateLimitReachedException e) {
      key = Optional.empty();
    } catch (KeySourceException e) {
      return new Rejected(Reason.KEYS_UNAVAILABLE, "the keys of " + mapping.issuer() + " could not be fetched: "
          + e.getMessage());
    }
    if (key.isEmpty()) {
      return new Rejected(Reason.UNKNOWN_KEY, kid == null
          ? "the bearer token has no kid header and " + mapping.issuer() + " publishes several keys"
          : "no key with kid " + kid + " among the published keys of " + mapping.issuer());
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
          + ", not for this gateway (" + resource + "); request it with resource=" + resource);
    }
    return identity(claims, token);
  }

  private Optional<JWK> findKey(String kid) throws KeySourceException {
    JWKMatcher.Builder matcher = new JWKMatcher.Builder().publicOnly(true);
    if (kid != null) {
      matcher.keyID(kid);
    }
    List<JWK> found = keys.get(new JWKSelector(matcher.build()), null);
    if (kid == null && found.size() != 1) {
      return Optional.empty();
    }
    return found.stream().findFirst();
  }

  private AuthResult identity(JWTClaimsSet claims, String token) {
    Object agentId = ClaimMapper.claim(claims, mapping.agentIdClaim());
    if (!(agentId instanceof String id) || id.isBlank()) {
      return new Rejected(Reason.MISSING_CLAIM, "the bearer token has no string claim " + mapping.agentIdClaim()
          + " to name the agent; set the mapping's agent id claim to one the IdP issues");
    }
    Set<String> roles = Set.of();
    if (mapping.rolesClaim().isPresent()) {
      roles = ClaimMapper.strings(ClaimMapper.claim(claims, mapping.rolesClaim().get()));
      if (roles == null) {
        return new Rejected(Reason.MISSING_CLAIM, "the bearer token's " + mapping.rolesClaim().get()
            + " claim is neither a list of strings nor a space-separated string");
      }
    }
    Set<String> scopes = ClaimMapper.scopes(claims);
    if (!scopes.containsAll(requiredScopes)) {
      return new Rejected(Reason.INSUFFICIENT_SCOPE, "the bearer token has scopes " + scopes.stream().sorted().toList()
          + "; this gateway requires " + requiredScopes.stream().sorted().toList());
    }
    return new Authenticated(new AgentIdentity(mapping.issuer(), id, "", roles,
        ClaimMapper.attributes(claims, mapping.attributeClaims()), scopes, List.of(), Optional.empty(),
        JwtChecks.credentialId("oidc:", claims, token), claims.getExpirationTime().toInstant()),
        claims.toJSONObject());
  }

  /** Describes an {@link OidcValidator}. */
  public static final class Builder {
    private final OidcAgentMapping mapping;
    private final String resource;
    private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
    private Duration clockSkew = Duration.ofSeconds(60);
    private Set<String> requiredScopes = Set.of();
    private URI jwksUri;
    private Duration jwksTimeToLive = Duration.ofMinutes(10);
    private Duration jwksMinRefetchInterval = Duration.ofSeconds(30);
    private HttpClient http;
    private Clock clock = Clock.systemUTC();

    private Builder(OidcAgentMapping mapping, String resource) {
      this.mapping = Objects.requireNonNull(mapping, "mapping");
      this.resource = Objects.requireNonNull(resource, "resource");
    }

    /** Signature algorithms accepted; default {@link #DEFAULT_ALGORITHMS}. HMAC and none are always refused. */
    public Builder algorithms(Set<JWSAlgorithm> algorithms) {
      for (JWSAlgorithm alg : algorithms) {
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) || "none".equals(alg.getName())) {
          throw new IllegalArgumentException("algorithm " + alg + " cannot be allowed for access tokens: it needs a"
              + " secret shared with the IdP or no signature at all; use RS256 or ES256");
        }
      }
      this.algorithms = Set.copyOf(algorithms);
      return this;
    }

    /** Tolerance on {@code exp}, {@code nbf} and {@code iat}; default 60 s. */
    public Builder clockSkew(Duration clockSkew) {
      if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("clock skew is " + clockSkew + "; use 0 to 5 minutes (default 60 s)");
      }
      this.clockSkew = clockSkew;
      return this;
    }

    /** Scopes every token must carry; missing ones give 403 {@code insufficient_scope}. Default none. */
    public Builder requiredScopes(Set<String> requiredScopes) {
      this.requiredScopes = Set.copyOf(requiredScopes);
      return this;
    }

    /** Skips discovery and fetches keys from this URL. */
    public Builder jwksUri(URI jwksUri) {
      this.jwksUri = Objects.requireNonNull(jwksUri, "jwksUri");
      return this;
    }

    /** How long fetched keys are used before they are fetched again; default 10 min. */
    public Builder jwksTimeToLive(Duration ttl) {
      this.jwksTimeToLive = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** Least time between two key-set fetches, however many unknown kids arrive; default 30 s. */
    public Builder jwksMinRefetchInterval(Duration interval) {
      this.jwksMinRefetchInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** The HTTP client used for discovery; default a new JDK client. */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** The clock for expiry checks; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the validator, discovering the IdP's {@code jwks_uri} from its metadata unless it was given.
     *
     * @throws IllegalStateException when discovery fails, with the locations tried
     */
    public OidcValidator build() {
      URI jwks = jwksUri != null ? jwksUri : Discovery.jwksUri(mapping.issuer(), http != null ? http
          : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build());
      long ttl = jwksTimeToLive.toMillis();
      JWKSource<SecurityContext> source;
      try {
        source = JWKSourceBuilder.<SecurityContext>create(jwks.toURL(),
                new DefaultResourceRetriever(5_000, 5_000, 256 * 1024))
            .cache(ttl, 5_000)
            .rateLimited(Math.max(1, jwksMinRefetchInterval.toMillis()))
            .refreshAheadCache(false)
            .retrying(false)
            .build();
      } catch (MalformedURLException e) {
        throw new IllegalStateException("jwks_uri " + jwks + " of " + mapping.issuer() + " is not a URL", e);
      }
      return new OidcValidator(this, source);
    }
  }

  @Override
  public String toString() {
    return "OidcValidator[" + mapping.issuer() + " -> " + resource + "]";
  }

}
