package dev.portcullis.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.verifier.VerificationResult.Invalid;
import dev.portcullis.verifier.VerificationResult.Reason;
import dev.portcullis.verifier.VerificationResult.Valid;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the per-call token Portcullis attaches to each tool call it forwards: signature (ES256 or EdDSA, keys from
 * the gateway's JWKS), issuer, audience (this tool server), expiry, the tool, the exact arguments, and that the token
 * was not used before. A tool server builds one verifier at start-up and calls {@link #verify} for every call.
 *
 * <p>Thread-safe. The replay cache is in memory: several replicas of one tool server each accept a token once.
 */
public final class PerCallTokenVerifier {
  /**
   * Where the token travels over HTTP when the upstream's own secret takes {@code Authorization}; otherwise it is the
   * {@code Authorization: Bearer} credential itself.
   */
  public static final String CALL_TOKEN_HEADER = "X-Portcullis-Call-Token";
  /** Where the token travels over stdio: {@code params._meta["dev.portcullis/credential"]} of the request. */
  public static final String CREDENTIAL_META = "dev.portcullis/credential";

  private final KeySource keys;
  private final String issuer;
  private final String audience;
  private final Duration clockSkew;
  private final Duration maxLifetime;
  private final int maxTokenChars;
  private final Clock clock;
  private final ReplayCache replays;

  private PerCallTokenVerifier(Builder b, KeySource keys) {
    this.keys = keys;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.clockSkew = b.clockSkew;
    this.maxLifetime = b.maxLifetime;
    this.maxTokenChars = b.maxTokenChars;
    this.clock = b.clock;
    this.replays = new ReplayCache(b.maxReplayEntries);
  }

  /** Starts a verifier description; {@code issuer}, {@code audience} and one key source are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Checks {@code token} for a call of {@code tool} with {@code argumentsJson} (a JSON object; null means none). */
  public VerificationResult verify(String token, String tool, String argumentsJson) {
    String hash;
    try {
      hash = CanonicalJson.sha256(argumentsJson);
    } catch (IllegalArgumentException e) {
      return new Invalid(Reason.WRONG_ARGUMENTS, e.getMessage());
    }
    return verifyHashed(token, tool, hash);
  }

  /** Checks {@code token} for a call of {@code tool} with {@code arguments} as a tree of maps, lists and values. */
  public VerificationResult verify(String token, String tool, Map<String, ?> arguments) {
    String hash;
    try {
      hash = CanonicalJson.sha256(arguments);
    } catch (IllegalArgumentException e) {
      return new Invalid(Reason.WRONG_ARGUMENTS, e.getMessage());
    }
    return verifyHashed(token, tool, hash);
  }

  private VerificationResult verifyHashed(String token, String tool, String argumentsHash) {
    Objects.requireNonNull(tool, "tool");
    if (token == null || token.isBlank()) {
      return new Invalid(Reason.MALFORMED, "no per-call token was presented; Portcullis sends one with every call");
    }
    if (token.length() > maxTokenChars) {
      return new Invalid(Reason.OVERSIZED, "the token is " + token.length() + " characters, more than the "
          + maxTokenChars + " accepted");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token.strip());
    } catch (ParseException e) {
      return new Invalid(Reason.MALFORMED, "the token is not a JWT (three base64url parts of JSON): " + e.getMessage());
    }
    return switch (jwt) {
      case PlainJWT plain -> new Invalid(Reason.UNSIGNED, "the token is unsigned (alg none); only ES256 and EdDSA"
          + " signatures are accepted");
      case EncryptedJWT encrypted -> new Invalid(Reason.ALGORITHM_NOT_ALLOWED, "the token is encrypted ("
          + encrypted.getHeader().getAlgorithm() + "); per-call tokens are signed with ES256 or EdDSA");
      case SignedJWT signed -> verifySigned(signed, tool, argumentsHash);
      default -> new Invalid(Reason.MALFORMED, "the token is neither signed nor plain");
    };
  }

  private VerificationResult verifySigned(SignedJWT jwt, String tool, String argumentsHash) {
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    boolean eddsa = JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg);
    if (!eddsa && !JWSAlgorithm.ES256.equals(alg)) {
      return new Invalid(Reason.ALGORITHM_NOT_ALLOWED, "the token is signed with " + alg
          + "; only ES256 and EdDSA are accepted");
    }
    if (!new JOSEObjectType(PerCallClaims.TYPE).equals(header.getType())) {
      return new Invalid(Reason.WRONG_TYPE, "the token's typ is " + header.getType() + ", not "
          + PerCallClaims.TYPE + ": it is some other kind of JWT, not a Portcullis per-call token");
    }
    String kid = header.getKeyID();
    if (kid == null) {
      return new Invalid(Reason.UNKNOWN_KEY, "the token has no kid header, so no gateway key can be chosen");
    }
    Optional<JWK> key;
    try {
      key = keys.find(kid);
    } catch (KeySource.KeysUnavailable e) {
      return new Invalid(Reason.KEYS_UNAVAILABLE, e.getMessage());
    }
    if (key.isEmpty()) {
      return new Invalid(Reason.UNKNOWN_KEY, "no key with kid " + kid + " in the gateway's key set, even after"
          + " fetching it again");
    }
    if (!declares(key.get(), alg)) {
      return new Invalid(Reason.ALGORITHM_NOT_ALLOWED, "the token is signed with " + alg + " but key " + kid
          + " declares alg " + key.get().getAlgorithm() + "; a key is only used with the algorithm it declares");
    }
    try {
      if (!verifierFor(key.get(), eddsa).verify(header, jwt.getSigningInput(), jwt.getSignature())) {
        return new Invalid(Reason.BAD_SIGNATURE, "the signature does not verify with key " + kid);
      }
    } catch (JOSEException e) {
      return new Invalid(Reason.BAD_SIGNATURE, "the signature cannot be checked with key " + kid + ": "
          + e.getMessage());
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Invalid(Reason.MALFORMED, "the token's claims are not a JSON object: " + e.getMessage());
    }
    return checkClaims(claims, tool, argumentsHash);
  }

  /**
   * Whether the key allows {@code alg}: a key without {@code alg} allows what its type and curve can do (checked by
   * {@link #verifierFor}); one with {@code alg} allows only that (RFC 7517 4.4), EdDSA and Ed25519 (RFC 9864) being
   * the same algorithm on an Ed25519 key.
   */
  private static boolean declares(JWK key, JWSAlgorithm alg) {
    if (key.getAlgorithm() == null || key.getAlgorithm().getName().equals(alg.getName())) {
      return true;
    }
    boolean declaredEd = JWSAlgorithm.EdDSA.getName().equals(key.getAlgorithm().getName())
        || JWSAlgorithm.Ed25519.getName().equals(key.getAlgorithm().getName());
    return declaredEd && (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg));
  }

  private static JWSVerifier verifierFor(JWK key, boolean eddsa) throws JOSEException {
    if (eddsa) {
      if (key instanceof OctetKeyPair okp) {
        return new Ed25519Verifier(okp);
      }
      throw new JOSEException("the token is EdDSA but key " + key.getKeyID() + " is " + key.getKeyType());
    }
    if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
      return new ECDSAVerifier(ec);
    }
    throw new JOSEException("the token is ES256 but key " + key.getKeyID() + " is not a P-256 EC key");
  }

  private VerificationResult checkClaims(JWTClaimsSet claims, String tool, String argumentsHash) {
    Instant now = clock.instant();
    try {
      if (!issuer.equals(claims.getIssuer())) {
        return new Invalid(Reason.WRONG_ISSUER, "the token was issued by " + claims.getIssuer() + ", not by "
            + issuer);
      }
      if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
        return new Invalid(Reason.WRONG_AUDIENCE, "the token is for " + claims.getAudience() + ", not for this"
            + " tool server (" + audience + ")");
      }
      Instant exp = instant(claims, "exp");
      Instant iat = instant(claims, "iat");
      if (exp == null || iat == null) {
        return new Invalid(Reason.MISSING_CLAIM, "the token lacks " + (exp == null ? "exp" : "iat"));
      }
      if (now.isAfter(exp.plus(clockSkew))) {
        return new Invalid(Reason.EXPIRED, "the token expired at " + exp + " (now " + now + ", skew "
            + clockSkew.toSeconds() + " s)");
      }
      Instant nbf = instant(claims, "nbf");
      Instant notBefore = nbf != null && nbf.isAfter(iat) ? nbf : iat;
      if (notBefore.isAfter(now.plus(clockSkew))) {
        return new Invalid(Reason.NOT_YET_VALID, "the token is not valid before " + notBefore + " (now " + now
            + ", skew " + clockSkew.toSeconds() + " s)");
      }
      if (Duration.between(iat, exp).compareTo(maxLifetime) > 0) {
        return new Invalid(Reason.LIFETIME_TOO_LONG, "the token lives " + Duration.between(iat, exp).toSeconds()
            + " s, longer than the " + maxLifetime.toSeconds() + " s this verifier accepts");
      }
      String subject = claims.getSubject();
      String jti = claims.getJWTID();
      String scope = claims.getStringClaim(PerCallClaims.SCOPE);
      String hash = claims.getStringClaim(PerCallClaims.ARGS_HASH);
      if (subject == null || jti == null || scope == null || hash == null) {
        return new Invalid(Reason.MISSING_CLAIM, "the token lacks "
            + (subject == null ? "sub" : jti == null ? "jti" : scope == null ? "scope" : PerCallClaims.ARGS_HASH));
      }
      if (!scope.equals(tool)) {
        return new Invalid(Reason.WRONG_TOOL, "the token allows tool " + scope + ", not " + tool);
      }
      if (!MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
          argumentsHash.getBytes(StandardCharsets.US_ASCII))) {
        return new Invalid(Reason.WRONG_ARGUMENTS, "the token was minted for other arguments of " + tool
            + " (args_hash differs): the arguments changed after Portcullis checked them");
      }
      var chain = ActorChain.parse(claims.getClaim(PerCallClaims.ACT));
      if (chain.error() != null) {
        return new Invalid(Reason.MISSING_CLAIM, chain.error());
      }
      switch (replays.use(jti, exp.plus(clockSkew), now)) {
        case REPLAYED -> {
          return new Invalid(Reason.REPLAYED, "token " + jti + " was already used; each per-call token is"
              + " accepted once");
        }
        case FULL -> {
          return new Invalid(Reason.REPLAY_CACHE_FULL, "the replay cache holds its maximum of unexpired tokens;"
              + " raise maxReplayEntries or shorten token lifetimes");
        }
        case FIRST_USE -> { }
      }
      return new Valid(new PerCallClaims(claims.getIssuer(), subject, chain.actors(), claims.getAudience(), scope,
          hash, jti, iat, exp, claims.getClaims()));
    } catch (ParseException e) {
      return new Invalid(Reason.MISSING_CLAIM, "a claim has the wrong type: " + e.getMessage());
    }
  }

  private static Instant instant(JWTClaimsSet claims, String name) throws ParseException {
    var date = claims.getDateClaim(name);
    return date == null ? null : date.toInstant();
  }

  /** Describes a {@link PerCallTokenVerifier}. */
  public static final class Builder {
    private URI jwksUrl;
    private JWKSet jwkSet;
    private String issuer;
    private String audience;
    private Duration clockSkew = Duration.ofSeconds(10);
    private Duration maxLifetime = Duration.ofMinutes(5);
    private Duration jwksTimeToLive = Duration.ofMinutes(10);
    private Duration jwksMinRefetchInterval = Duration.ofSeconds(30);
    private int maxTokenChars = 8 * 1024;
    private int maxReplayEntries = 1_000_000;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The gateway's JWKS URL, e.g. {@code https://portcullis.example/.well-known/jwks.json}. */
    public Builder jwksUrl(URI jwksUrl) {
      this.jwksUrl = Objects.requireNonNull(jwksUrl, "jwksUrl");
      return this;
    }

    /** A fixed key set instead of a URL (tests, or keys distributed out of band). */
    public Builder jwkSet(JWKSet jwkSet) {
      this.jwkSet = Objects.requireNonNull(jwkSet, "jwkSet");
      return this;
    }

    /** The gateway's issuer URL, compared exactly with {@code iss}. */
    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /** This tool server's name as the gateway knows it (the upstream's name in the policy file), required in {@code aud}. */
    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience");
      return this;
    }

    /** Tolerance for clocks that disagree, applied to {@code exp}, {@code nbf} and {@code iat}; default 10 s. */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = requirePositiveOrZero(clockSkew, "clockSkew");
      return this;
    }

    /** Longest {@code exp - iat} accepted; default 5 min (Portcullis mints 30 s tokens by default). */
    public Builder maxLifetime(Duration maxLifetime) {
      this.maxLifetime = requirePositiveOrZero(maxLifetime, "maxLifetime");
      return this;
    }

    /** How long a fetched JWKS is used before it is fetched again; default 10 min. */
    public Builder jwksTimeToLive(Duration ttl) {
      this.jwksTimeToLive = requirePositiveOrZero(ttl, "jwksTimeToLive");
      return this;
    }

    /** The least time between two JWKS fetches, however many unknown kids arrive; default 30 s. */
    public Builder jwksMinRefetchInterval(Duration interval) {
      this.jwksMinRefetchInterval = requirePositiveOrZero(interval, "jwksMinRefetchInterval");
      return this;
    }

    /** Longest token accepted, in characters; default 8192. */
    public Builder maxTokenChars(int maxTokenChars) {
      if (maxTokenChars < 64) {
        throw new IllegalArgumentException("maxTokenChars is " + maxTokenChars + "; no signed JWT is that short");
      }
      this.maxTokenChars = maxTokenChars;
      return this;
    }

    /** Most unexpired {@code jti}s remembered; past it, calls are refused. Default 1,000,000. */
    public Builder maxReplayEntries(int maxReplayEntries) {
      if (maxReplayEntries < 1) {
        throw new IllegalArgumentException("maxReplayEntries is " + maxReplayEntries + "; it must be at least 1");
      }
      this.maxReplayEntries = maxReplayEntries;
      return this;
    }

    /** The HTTP client for JWKS fetches; default a new JDK client. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** The clock for expiry checks; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the verifier. Nothing is fetched yet: the JWKS is fetched on the first call.
     *
     * @throws IllegalStateException when issuer, audience or the key source is missing, or both key sources are given
     */
    public PerCallTokenVerifier build() {
      if (issuer == null || audience == null) {
        throw new IllegalStateException("a per-call token verifier needs " + (issuer == null ? "issuer" : "audience")
            + "; set it to the gateway's issuer URL and to this tool server's upstream name");
      }
      if ((jwksUrl == null) == (jwkSet == null)) {
        throw new IllegalStateException("give exactly one of jwksUrl and jwkSet (got "
            + (jwksUrl == null ? "neither" : "both") + ")");
      }
      KeySource source = jwkSet != null
          ? KeySource.fixed(jwkSet)
          : new RemoteKeySource(jwksUrl, httpClient != null ? httpClient : HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance for one small GET
              .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build(),
              jwksTimeToLive, jwksMinRefetchInterval, clock);
      return new PerCallTokenVerifier(this, source);
    }

    private static Duration requirePositiveOrZero(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " is " + d + "; it must not be negative");
      }
      return d;
    }
  }
}
