package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.JWSAlgorithm;
import java.time.Instant;
import java.util.Objects;

/** One ES256 signing key with its creation time; its id is the RFC 7638 thumbprint of its public part. */
record StoredKey(ECKey jwk, Instant created, JWSSigner signer) {
  StoredKey {
    Objects.requireNonNull(jwk, "jwk");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(signer, "signer");
  }

  static StoredKey of(ECKey jwk, Instant created) {
    try {
      return new StoredKey(jwk, created, new ECDSASigner(jwk));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " cannot sign ES256: " + e.getMessage(), e);
    }
  }

  static StoredKey generate(Instant now) {
    try {
      ECKey key = new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint(true)
          .generate();
      return of(key, now);
    } catch (JOSEException e) {
      throw new IllegalStateException("the JDK cannot generate a P-256 key", e);
    }
  }

  String keyId() {
    return jwk.getKeyID();
  }

  @Override
  public String toString() {
    return "StoredKey[" + keyId() + ", created " + created + "]"; // never the private part
  }
}
