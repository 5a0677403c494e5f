package dev.portcullis.token;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.amazon.corretto.crypto.provider.SelfTestStatus;
import dev.portcullis.config.CredentialsConfig;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway's ES256 signatures are computed, chosen once at start-up: AWS-LC (native, through Amazon Corretto
 * Crypto Provider, about 5x less CPU per signature here) or the JDK's SunEC. Both produce standard ES256 signatures, so
 * the choice never reaches a tool server. The provider is passed explicitly and never installed JVM-wide.
 *
 * @param provider the JCA provider, or empty for the JDK's default (SunEC)
 * @param description what the logs say signs, e.g. {@code AWS-LC v1.47.0 (ACCP 2.5)}
 */
record EcdsaEngine(Optional<Provider> provider, String description) {
  /** JWS ES256: SHA-256 and ECDSA on P-256, the signature as r || s (IEEE P1363), not DER. */
  static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  static final EcdsaEngine JDK = new EcdsaEngine(Optional.empty(), "the JDK (SunEC)");

  EcdsaEngine {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(description, "description");
  }

  /**
   * The engine the configuration asks for.
   *
   * @throws IllegalStateException for {@code aws-lc} when AWS-LC cannot be loaded or fails its self-tests here, naming
   *     why and the fix
   */
  static EcdsaEngine resolve(CredentialsConfig.Signer choice) {
    return switch (choice) {
      case JDK -> JDK;
      case AUTO -> awsLc().orElse(JDK);
      case AWS_LC -> awsLc().orElseThrow(() -> new IllegalStateException("server.credentials.signer is aws-lc, but"
          + " AWS-LC cannot be used here: " + awsLcProblem() + "; use signer: auto or jdk on this platform (AWS-LC"
          + " ships for Linux x86_64 in this build)"));
    };
  }

  /** An initialized signer for this key. */
  Signature signer(ECPrivateKey key) throws GeneralSecurityException {
    Signature signature = provider.isPresent()
        ? Signature.getInstance(ALGORITHM, provider.get())
        : Signature.getInstance(ALGORITHM);
    signature.initSign(key);
    return signature;
  }

  /**
   * Signs a probe with this engine and checks it with the JDK: a key that this engine cannot sign with, or signs
   * wrongly, is refused when it is loaded rather than on the first call.
   */
  void check(ECPrivateKey privateKey, ECPublicKey publicKey) throws GeneralSecurityException {
    byte[] probe = "portcullis signing probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature signer = signer(privateKey);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(ALGORITHM);
    verifier.initVerify(publicKey);
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException(description + " produced an ES256 signature the JDK does not accept");
    }
  }

  private static Optional<EcdsaEngine> awsLc() {
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null || accp.runSelfTests() != SelfTestStatus.PASSED) {
        return Optional.empty();
      }
      return Optional.of(new EcdsaEngine(Optional.of(accp), accp.getAwsLcVersionStr() + " (Amazon Corretto Crypto"
          + " Provider " + accp.getVersionStr() + ")"));
    } catch (LinkageError | RuntimeException e) {
      return Optional.empty(); // not on the class path, or no native library for this platform
    }
  }

  private static String awsLcProblem() {
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null) {
        return "its native library did not load (" + accp.getLoadingError() + ")";
      }
      return "its self-tests report " + accp.runSelfTests();
    } catch (LinkageError | RuntimeException e) {
      return "the provider is not available (" + e + ")";
    }
  }
}
