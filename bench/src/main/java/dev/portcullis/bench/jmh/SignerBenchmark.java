package dev.portcullis.bench.jmh;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One JWS signature over a per-call token's signing input (about 560 bytes), and its check, by each credible
 * provider: the JDK's SunEC, BouncyCastle (through Nimbus' JCA context and through its own API), Google Tink (Nimbus'
 * {@code Ed25519Signer}) and Amazon Corretto Crypto Provider (AWS-LC, native). The {@code jca} variants reuse one
 * initialised {@link Signature}, as the gateway does; the {@code -nimbus} ones go through Nimbus' signer objects. This is how the gateway's signing
 * provider was chosen (docs/benchmarks.md, section 2); {@link TokenBenchmark} measures whole tokens with the variants
 * the gateway offers.
 *
 * <p>Besides JMH's wall-clock samples, each iteration prints the benchmark thread's CPU time per operation
 * ({@link ThreadCpuTime}), which other processes on a shared machine disturb much less.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SignerBenchmark {
  /** A real token's signing input: header and claims of a refund call by a sub-agent. */
  static final byte[] INPUT = ("eyJraWQiOiJ1c2VYbWh6Z0dKd1E0ZkFWVTVIRm1KdldhNm5wNHNzbDRqMnB2R3M1OTNRIiwidHlwIjoicG9y"
      + "dGN1bGxpcy1jYWxsK2p3dCIsImFsZyI6IkVTMjU2In0.eyJpc3MiOiJodHRwczovL3BvcnRjdWxsaXMuYmVuY2guZXhhbXBsZSIsInN1YiI6I"
      + "m9wcy1ib3QiLCJhdWQiOiJiaWxsaW5nIiwic2NvcGUiOiJyZWZ1bmQiLCJhcmdzX2hhc2giOiJ1b1RTYkRFa1pWa0ZDTkRYd2R4bFBpNWJFT0Z"
      + "NMHRhcm5NbVd1QjJXNVpnIiwianRpIjoiNGFmNjJjYzYzMjI3YjM1ZWM4MTZiZTMzNzk5NmRjNmYiLCJpYXQiOjE3OTQ3MzMyMDAsImV4cCI6M"
      + "Tc5NDczMzIzMCwiYWN0Ijp7InN1YiI6Im9yY2hlc3RyYXRvciJ9fQ").getBytes(StandardCharsets.US_ASCII);

  static final Provider BC = new BouncyCastleProvider();
  static final Provider ACCP = AmazonCorrettoCryptoProvider.INSTANCE;

  /** One signer and verifier under test. */
  interface Variant {
    byte[] sign() throws Exception;

    boolean verify(byte[] signature) throws Exception;
  }

  @State(Scope.Thread)
  public static class Subject {
    @Param({"es256-sunec", "es256-bc-nimbus", "es256-bc", "es256-accp", "ed25519-sunec", "ed25519-bc",
        "ed25519-bc-lightweight", "ed25519-tink-nimbus", "ed25519-accp"})
    public String variant;

    Variant subject;
    byte[] signature;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      subject = switch (variant) {
        case "es256-sunec" -> jca("SHA256withECDSAinP1363Format", ecKeys(null), null);
        case "es256-bc-nimbus" -> nimbusEs256(BC);
        case "es256-bc" -> jca("SHA256withPLAIN-ECDSA", ecKeys(BC), BC);
        case "es256-accp" -> jca("SHA256withECDSAinP1363Format", ecKeys(ACCP), ACCP); // as the gateway signs
        case "ed25519-sunec" -> jca("Ed25519", edKeys(null), null);
        case "ed25519-bc" -> jca("Ed25519", edKeys(BC), BC);
        case "ed25519-bc-lightweight" -> bcLightweight();
        case "ed25519-tink-nimbus" -> tinkNimbus();
        case "ed25519-accp" -> jca("Ed25519", edKeys(ACCP), ACCP);
        default -> throw new IllegalArgumentException("unknown variant " + variant);
      };
      signature = subject.sign();
      if (!subject.verify(signature)) {
        throw new IllegalStateException(variant + " does not verify its own signature");
      }
    }
  }

  @Benchmark
  public byte[] sign(Subject s, ThreadCpuTime cpu) throws Exception {
    cpu.count();
    return s.subject.sign();
  }

  @Benchmark
  public boolean verify(Subject s, ThreadCpuTime cpu) throws Exception {
    cpu.count();
    return s.subject.verify(s.signature);
  }

  private static KeyPair ecKeys(Provider provider) throws Exception {
    KeyPairGenerator generator = provider == null ? KeyPairGenerator.getInstance("EC")
        : KeyPairGenerator.getInstance("EC", provider);
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair edKeys(Provider provider) throws Exception {
    return (provider == null ? KeyPairGenerator.getInstance("Ed25519")
        : KeyPairGenerator.getInstance("Ed25519", provider)).generateKeyPair();
  }

  /** A JCA signer and verifier, initialised once and reused (as the gateway does). */
  private static Variant jca(String algorithm, KeyPair keys, Provider provider) throws Exception {
    Signature signer = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    Signature verifier = provider == null ? Signature.getInstance(algorithm)
        : Signature.getInstance(algorithm, provider);
    signer.initSign(keys.getPrivate());
    verifier.initVerify(keys.getPublic());
    return new Variant() {
      @Override
      public byte[] sign() throws Exception {
        signer.update(INPUT);
        return signer.sign();
      }

      @Override
      public boolean verify(byte[] signature) throws Exception {
        verifier.update(INPUT);
        return verifier.verify(signature);
      }
    };
  }

  /** Nimbus' own ES256 signer with a provider set on its JCA context (a new JCA signer per signature). */
  private static Variant nimbusEs256(Provider provider) throws JOSEException {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
    ECDSASigner signer = new ECDSASigner(key);
    signer.getJCAContext().setProvider(provider);
    ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
    verifier.getJCAContext().setProvider(provider);
    return nimbus(signer, verifier, new JWSHeader(JWSAlgorithm.ES256));
  }

  /** Nimbus' {@code Ed25519Signer} and {@code Ed25519Verifier}, which run on Google Tink. */
  private static Variant tinkNimbus() throws JOSEException {
    OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyIDFromThumbprint(true).generate();
    Ed25519Signer signer = new Ed25519Signer(key);
    Ed25519Verifier verifier = new Ed25519Verifier(key.toPublicJWK());
    return nimbus(signer, verifier, new JWSHeader(JWSAlgorithm.EdDSA));
  }

  /** A variant that signs and verifies through Nimbus' JWS signer and verifier. */
  private static Variant nimbus(com.nimbusds.jose.JWSSigner signer, com.nimbusds.jose.JWSVerifier verifier,
      JWSHeader header) {
    return new Variant() {
      @Override
      public byte[] sign() throws JOSEException {
        return signer.sign(header, INPUT).decode();
      }

      @Override
      public boolean verify(byte[] signature) throws JOSEException {
        return verifier.verify(header, INPUT, Base64URL.encode(signature));
      }
    };
  }

  /** BouncyCastle's own Ed25519 API (no JCA), key parameters built once. */
  private static Variant bcLightweight() {
    Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
    Ed25519PublicKeyParameters publicKey = privateKey.generatePublicKey();
    org.bouncycastle.crypto.signers.Ed25519Signer signer = new org.bouncycastle.crypto.signers.Ed25519Signer();
    signer.init(true, privateKey);
    org.bouncycastle.crypto.signers.Ed25519Signer verifier = new org.bouncycastle.crypto.signers.Ed25519Signer();
    verifier.init(false, publicKey);
    return new Variant() {
      @Override
      public byte[] sign() {
        signer.update(INPUT, 0, INPUT.length);
        return signer.generateSignature();
      }

      @Override
      public boolean verify(byte[] signature) {
        verifier.update(INPUT, 0, INPUT.length);
        return verifier.verifySignature(signature);
      }
    };
  }
}
