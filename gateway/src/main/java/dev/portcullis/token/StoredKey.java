package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.JWSAlgorithm;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Objects;

/**
 * One ES256 signing key with its creation time; its id is the RFC 7638 thumbprint of its public part.
 *
 * @param privateKey the JDK key, converted once from the JWK (not per signature)
 * @param engine where its signatures are computed
 * @param signatures initialized ES256 signers for reuse: a {@link Signature} returns to its initialized state after
 *     {@code sign()}, so only the first use of each pays for provider lookup and {@code initSign}
 */
record StoredKey(ECKey jwk, Instant created, ECPrivateKey privateKey, EcdsaEngine engine,
    Queue<Signature> signatures) {
  StoredKey {
    Objects.requireNonNull(jwk, "jwk");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(signatures, "signatures");
  }

  static StoredKey of(ECKey jwk, Instant created, EcdsaEngine engine) {
    try {
      ECPrivateKey privateKey = jwk.toECPrivateKey();
      ECPublicKey publicKey = jwk.toECPublicKey();
      engine.check(privateKey, publicKey); // fails here, at load, if the engine cannot sign with it (or signs wrongly)
      return new StoredKey(jwk, created, privateKey, engine, new ConcurrentLinkedQueue<>());
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalArgumentException("key " + jwk.getKeyID() + " cannot sign ES256 with " + engine.description()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * An initialized SHA256withECDSA signer producing the JWS (IEEE P1363, r || s) form; give it back with
   * {@link #release} after {@code sign()}.
   */
  Signature signature() throws GeneralSecurityException {
    Signature signature = signatures.poll();
    if (signature == null) {
      signature = engine.signer(privateKey);
    }
    return signature;
  }

  void release(Signature signature) {
    signatures.offer(signature);
  }

  static StoredKey generate(Instant now, EcdsaEngine engine) {
    try {
      ECKey key = new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint(true)
          .generate();
      return of(key, now, engine);
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
