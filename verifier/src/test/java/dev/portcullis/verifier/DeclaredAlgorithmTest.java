package dev.portcullis.verifier;

import static dev.portcullis.verifier.TestTokens.AUDIENCE;
import static dev.portcullis.verifier.TestTokens.ISSUER;
import static dev.portcullis.verifier.TestTokens.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.portcullis.verifier.VerificationResult.Invalid;
import dev.portcullis.verifier.VerificationResult.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key is used only with the algorithm it declares ({@code alg} in the JWKS): a token naming a key with another
 * algorithm is refused before any signature math, whatever the header claims.
 */
class DeclaredAlgorithmTest {
  static final String TOOL = "read_file";
  static final String ARGS = "{\"path\": \"/srv/data/report.txt\"}";

  final Instant now = Instant.parse("2026-11-01T12:00:00Z");

  VerificationResult verify(JWK publishedKey, String token) {
    return PerCallTokenVerifier.builder().jwkSet(new JWKSet(List.of(publishedKey))).issuer(ISSUER)
        .audience(AUDIENCE).clock(new MutableClock(now)).build().verify(token, TOOL, ARGS);
  }

  static ECKey declaring(ECKey key, Algorithm alg) {
    return new ECKey.Builder(key).algorithm(alg).build();
  }

  static OctetKeyPair declaring(OctetKeyPair key, Algorithm alg) {
    return new OctetKeyPair.Builder(key).algorithm(alg).build();
  }

  @Test
  void acceptsTokensSignedWithTheAlgorithmTheirKeyDeclares() {
    ECKey ec = TestTokens.ecKey("gw-1");
    OctetKeyPair ed = TestTokens.edKey("gw-ed");

    assertThat(verify(declaring(ec, JWSAlgorithm.ES256), TestTokens.es256(ec, claims(now, TOOL, ARGS).build()))
        .isValid()).isTrue();
    assertThat(verify(declaring(ed, JWSAlgorithm.EdDSA), TestTokens.ed25519(ed, claims(now, TOOL, ARGS).build()))
        .isValid()).isTrue();
    // EdDSA and the fully specified Ed25519 (RFC 9864) name the same algorithm on an Ed25519 key
    assertThat(verify(declaring(ed, JWSAlgorithm.Ed25519), TestTokens.ed25519(ed, claims(now, TOOL, ARGS).build()))
        .isValid()).isTrue();
  }

  @Test
  void refusesEs256TokenWhoseKeyDeclaresAnotherAlgorithm() {
    ECKey ec = TestTokens.ecKey("gw-1");
    String token = TestTokens.es256(ec, claims(now, TOOL, ARGS).build());

    VerificationResult result = verify(declaring(ec, JWSAlgorithm.ES384), token);

    assertThat(result).isInstanceOfSatisfying(Invalid.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
      assertThat(invalid.message()).isEqualTo("the token is signed with ES256 but key gw-1 declares alg ES384; a key"
          + " is only used with the algorithm it declares");
    });
  }

  @Test
  void refusesEdDsaTokenNamingAKeyThatDeclaresEs256() {
    // An attacker holding some Ed25519 key signs a token and names the gateway's ES256 key.
    OctetKeyPair attacker = new OctetKeyPair.Builder(TestTokens.edKey("x")).keyID("gw-1").build();
    String token = TestTokens.ed25519(attacker, claims(now, TOOL, ARGS).build());

    VerificationResult result = verify(declaring(TestTokens.ecKey("gw-1"), JWSAlgorithm.ES256), token);

    assertThat(result).isInstanceOfSatisfying(Invalid.class, invalid -> {
      assertThat(invalid.reason()).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
      assertThat(invalid.message()).startsWith("the token is signed with EdDSA but key gw-1 declares alg ES256");
    });
  }

  @Test
  void refusesEs256TokenNamingAnEd25519Key() {
    ECKey attacker = TestTokens.ecKey("gw-ed");
    String token = TestTokens.es256(attacker, claims(now, TOOL, ARGS).build());
    OctetKeyPair published = TestTokens.edKey("gw-ed").toPublicJWK();

    Invalid declared = (Invalid) verify(declaring(published, JWSAlgorithm.EdDSA), token);
    Invalid undeclared = (Invalid) verify(published, token);

    assertThat(declared.reason()).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(declared.message()).startsWith("the token is signed with ES256 but key gw-ed declares alg EdDSA");
    // without alg the key's type still decides: an OKP key never checks an ES256 signature
    assertThat(undeclared.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(undeclared.message()).contains("the token is ES256 but key gw-ed is not a P-256 EC key");
  }
}
