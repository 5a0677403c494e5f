package dev.portcullis.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;

/** The checks every bearer JWT goes through, whoever issued it. Each returns a rejection, or null when it passed. */
final class JwtChecks {
  /** Bearer tokens longer than this are refused before any parsing. */
  static final int MAX_TOKEN_CHARS = 8 * 1024;

  private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

  private JwtChecks() {}

  /** The parsed token, or the rejection explaining why it is not a signed JWT with an allowed algorithm. */
  record Parsed(SignedJWT jwt, JWTClaimsSet claims, Rejected rejected) {}

  static Parsed parse(String token, Set<JWSAlgorithm> allowed) {
    if (token == null || token.isBlank()) {
      return rejected(Reason.MISSING_TOKEN, "no bearer token; send Authorization: Bearer <access token>");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return rejected(Reason.OVERSIZED, "the bearer token is " + token.length() + " characters, more than the "
          + MAX_TOKEN_CHARS + " accepted");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      return rejected(Reason.MALFORMED, "the bearer token is not a JWT (three base64url parts of JSON; truncated?): "
          + e.getMessage());
    }
    if (jwt instanceof PlainJWT) {
      return rejected(Reason.UNSIGNED, "the bearer token is unsigned (alg none)");
    }
    if (jwt instanceof EncryptedJWT) {
      return rejected(Reason.ALGORITHM_NOT_ALLOWED, "the bearer token is encrypted; send a signed access token");
    }
    SignedJWT signed = (SignedJWT) jwt;
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!allowed.contains(alg)) {
      return rejected(Reason.ALGORITHM_NOT_ALLOWED, "the bearer token is signed with " + alg + ", outside the allowed "
          + allowed.stream().map(JWSAlgorithm::getName).sorted().toList());
    }
    try {
      return new Parsed(signed, signed.getJWTClaimsSet(), null);
    } catch (ParseException e) {
      return rejected(Reason.MALFORMED, "the bearer token's claims are not a JSON object: " + e.getMessage());
    }
  }

  /** Checks the signature with {@code key}, which must be a public signing key of a type the algorithm uses. */
  static Rejected signature(SignedJWT jwt, JWK key) {
    String kid = key.getKeyID();
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return new Rejected(Reason.BAD_SIGNATURE, "key " + kid + " is not a signing key (use " + key.getKeyUse() + ")");
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(jwt.getHeader().getAlgorithm())) {
      return new Rejected(Reason.BAD_SIGNATURE, "key " + kid + " is for " + key.getAlgorithm() + ", the token says "
          + jwt.getHeader().getAlgorithm());
    }
    try {
      if (!(key instanceof AsymmetricJWK asymmetric)) {
        return new Rejected(Reason.BAD_SIGNATURE, "key " + kid + " is not a public key");
      }
      JWSVerifier verifier = VERIFIERS.createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey());
      if (!jwt.verify(verifier)) {
        return new Rejected(Reason.BAD_SIGNATURE, "the bearer token's signature does not verify with key " + kid);
      }
      return null;
    } catch (JOSEException | IllegalStateException e) {
      return new Rejected(Reason.BAD_SIGNATURE, "the bearer token's signature cannot be checked with key " + kid
          + ": " + e.getMessage());
    }
  }

  /** Checks {@code exp} (required), {@code nbf} and {@code iat} against {@code now} with {@code skew}. */
  static Rejected times(JWTClaimsSet claims, Instant now, Duration skew) {
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return new Rejected(Reason.MISSING_CLAIM, "the bearer token has no exp; tokens without expiry are refused");
    }
    if (now.isAfter(exp.toInstant().plus(skew))) {
      return new Rejected(Reason.EXPIRED, "the bearer token expired at " + exp.toInstant() + " (now " + now
          + ", skew " + skew.toSeconds() + " s); get a new one from the identity provider");
    }
    for (Date date : new Date[] {claims.getNotBeforeTime(), claims.getIssueTime()}) {
      if (date != null && date.toInstant().isAfter(now.plus(skew))) {
        return new Rejected(Reason.NOT_YET_VALID, "the bearer token is not valid before " + date.toInstant()
            + " (now " + now + ", skew " + skew.toSeconds() + " s); check the clocks");
      }
    }
    return null;
  }

  /** A stable credential id for a token without {@code jti}: a hash prefix, never the token. */
  static String credentialId(String prefix, JWTClaimsSet claims, String token) {
    if (claims.getJWTID() != null) {
      return prefix + claims.getJWTID();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return prefix + "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Parsed rejected(Reason reason, String message) {
    return new Parsed(null, null, new Rejected(reason, message));
  }
}
