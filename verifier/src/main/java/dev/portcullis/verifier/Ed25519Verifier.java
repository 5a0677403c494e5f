package dev.portcullis.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * EdDSA (Ed25519) signature checks with the JDK's own provider. Nimbus' {@code Ed25519Verifier} needs Google Tink;
 * the JDK has had Ed25519 since 15, so this keeps the library at JDK + Nimbus.
 */
final class Ed25519Verifier implements JWSVerifier {
  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), followed by the 32-byte key. */
  private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private final PublicKey publicKey;
  private final JCAContext jca = new JCAContext();

  Ed25519Verifier(OctetKeyPair key) throws JOSEException {
    if (!Curve.Ed25519.equals(key.getCurve())) {
      throw new JOSEException("key " + key.getKeyID() + " is on curve " + key.getCurve() + ", EdDSA needs Ed25519");
    }
    byte[] x = key.getDecodedX();
    if (x.length != 32) {
      throw new JOSEException("key " + key.getKeyID() + " has a " + x.length + "-byte x, Ed25519 keys have 32");
    }
    byte[] der = new byte[X509_PREFIX.length + 32];
    System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
    System.arraycopy(x, 0, der, X509_PREFIX.length, 32);
    try {
      publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new JOSEException("key " + key.getKeyID() + " is not a usable Ed25519 key: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && !JWSAlgorithm.Ed25519.equals(header.getAlgorithm())) {
      throw new JOSEException("algorithm " + header.getAlgorithm() + " is not EdDSA");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return false; // no critical header parameter is understood here (RFC 7515 4.1.11)
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(signingInput);
      return verifier.verify(signature.decode());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
