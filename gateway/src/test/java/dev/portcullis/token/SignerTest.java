package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.CredentialsConfig.Signer;
import dev.portcullis.testing.MutableClock;
import dev.portcullis.verifier.PerCallTokenVerifier;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code server.credentials.signer} makes the same tokens: keys written under one are read under another, and the
 * verifier library accepts what each one signs.
 */
class SignerTest {
  static final String ISSUER = "https://portcullis.test";
  @TempDir Path dataDir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));

  /** The signers that can run here: aws-lc only where its native library loads. */
  static List<Signer> available() {
    try {
      EcdsaEngine.resolve(Signer.AWS_LC);
      return List.of(Signer.AUTO, Signer.AWS_LC, Signer.JDK);
    } catch (IllegalStateException notHere) {
      return List.of(Signer.AUTO, Signer.JDK);
    }
  }

  @Test
  void eachSignerMintsTokensTheVerifierAcceptsWithKeysTheOthersWrote() {
    Path dir = dataDir.resolve("signing-keys");
    String keyId = SigningKeys.open(dir, SigningKeys.DEFAULT_OVERLAP, clock, Signer.JDK).currentKeyId();

    for (Signer signer : available()) {
      SigningKeys keys = SigningKeys.open(dir, SigningKeys.DEFAULT_OVERLAP, clock, signer);
      TokenIssuer issuer = new TokenIssuer(ISSUER, keys, TokenIssuer.DEFAULT_LIFETIME, clock);
      PerCallTokenVerifier verifier = PerCallTokenVerifier.builder().jwkSet(keys.publicKeys()).issuer(ISSUER)
          .audience("acme").clock(clock).build();

      for (int i = 0; i < 50; i++) { // ECDSA draws a fresh nonce each time: more than one signature per signer
        var minted = issuer.mint("support-bot", List.of(), "acme", "crm_search", "{\"query\":\"Smith\"}");
        assertThat(verifier.verify(minted.token(), "crm_search", "{\"query\":\"Smith\"}").isValid())
            .as("token %d signed by %s (%s)", i, signer, keys.signerDescription()).isTrue();
      }
      assertThat(keys.currentKeyId()).isEqualTo(keyId);
    }
  }

  @Test
  void jdkNeverUsesNativeCodeAndAutoPrefersAwsLcWhereItLoads() {
    assertThat(EcdsaEngine.resolve(Signer.JDK)).isEqualTo(EcdsaEngine.JDK);
    assertThat(EcdsaEngine.resolve(Signer.JDK).provider()).isEmpty();

    EcdsaEngine auto = EcdsaEngine.resolve(Signer.AUTO);
    if (available().contains(Signer.AWS_LC)) {
      assertThat(auto.description()).startsWith("AWS-LC").contains("Amazon Corretto Crypto Provider");
      assertThat(auto.provider()).isPresent();
    } else {
      assertThat(auto).isEqualTo(EcdsaEngine.JDK);
      assertThatThrownBy(() -> EcdsaEngine.resolve(Signer.AWS_LC))
          .hasMessageStartingWith("server.credentials.signer is aws-lc, but AWS-LC cannot be used here")
          .hasMessageContaining("use signer: auto or jdk");
    }
  }
}
