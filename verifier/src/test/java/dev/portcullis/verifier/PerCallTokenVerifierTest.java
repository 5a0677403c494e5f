package dev.portcullis.verifier;

import static dev.portcullis.verifier.TestTokens.AUDIENCE;
import static dev.portcullis.verifier.TestTokens.ISSUER;
import static dev.portcullis.verifier.TestTokens.claims;
import static dev.portcullis.verifier.TestTokens.es256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.verifier.VerificationResult.Invalid;
import dev.portcullis.verifier.VerificationResult.Reason;
import dev.portcullis.verifier.VerificationResult.Valid;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerCallTokenVerifierTest {
  static final String TOOL = "read_file";
  static final String ARGS = """
      {"path": "/srv/data/report.txt", "maxBytes": 4096}""";

  final Instant start = Instant.parse("2026-11-01T12:00:00Z");
  final MutableClock clock = new MutableClock(start);
  final ECKey key = TestTokens.ecKey("gw-1");
  final OctetKeyPair edKey = TestTokens.edKey("gw-ed");
  final PerCallTokenVerifier verifier = verifier(new JWKSet(List.of(key, edKey)));

  PerCallTokenVerifier verifier(JWKSet keys) {
    return PerCallTokenVerifier.builder().jwkSet(keys).issuer(ISSUER).audience(AUDIENCE).clock(clock).build();
  }

  String token() {
    return es256(key, claims(start, TOOL, ARGS).build());
  }

  static Invalid invalid(VerificationResult result) {
    assertThat(result).isInstanceOf(Invalid.class);
    return (Invalid) result;
  }

  @Test
  void acceptsTokenMintedForThisToolAndTheseArguments() {
    var result = verifier.verify(token(), TOOL, ARGS);

    assertThat(result).isInstanceOf(Valid.class);
    PerCallClaims claims = ((Valid) result).claims();
    assertThat(claims.subject()).isEqualTo("support-bot");
    assertThat(claims.tool()).isEqualTo(TOOL);
    assertThat(claims.audience()).containsExactly(AUDIENCE);
    assertThat(claims.actorChain()).isEmpty();
    assertThat(claims.expiresAt()).isEqualTo(start.plusSeconds(30));
  }

  @Test
  void acceptsEd25519SignedToken() {
    String token = TestTokens.ed25519(edKey, claims(start, TOOL, ARGS).build());
    assertThat(verifier.verify(token, TOOL, ARGS).isValid()).isTrue();
  }

  @Test
  void acceptsArgumentsGivenAsTreeInAnyMemberOrder() {
    Map<String, Object> tree = Map.of("maxBytes", 4096L, "path", "/srv/data/report.txt");
    assertThat(verifier.verify(token(), TOOL, tree).isValid()).isTrue();
  }

  @Test
  void readsTheDelegationChainRootFirst() {
    var claims = claims(start, TOOL, ARGS).subject("orchestrator/researcher")
        .claim("act", TestTokens.act("orchestrator", TestTokens.act("ops-lead", null))).build();

    var result = (Valid) verifier.verify(es256(key, claims), TOOL, ARGS);

    assertThat(result.claims().actorChain()).containsExactly("ops-lead", "orchestrator");
  }

  @Test
  void rejectsReplayedToken() {
    String token = token();
    assertThat(verifier.verify(token, TOOL, ARGS).isValid()).isTrue();

    Invalid replay = invalid(verifier.verify(token, TOOL, ARGS));

    assertThat(replay.reason()).isEqualTo(Reason.REPLAYED);
    assertThat(replay.message()).contains("already used");
  }

  @Test
  void failedCheckDoesNotUseUpTheToken() {
    String token = token();
    assertThat(invalid(verifier.verify(token, "delete_file", ARGS)).reason()).isEqualTo(Reason.WRONG_TOOL);
    assertThat(verifier.verify(token, TOOL, ARGS).isValid()).isTrue();
  }

  @Test
  void rejectsTokenReusedForAnotherTool() {
    Invalid result = invalid(verifier.verify(token(), "delete_file", ARGS));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_TOOL);
    assertThat(result.message()).isEqualTo("the token allows tool read_file, not delete_file");
  }

  @Test
  void rejectsTokenReusedForOtherArguments() {
    Invalid result = invalid(verifier.verify(token(), TOOL, "{\"path\":\"/etc/shadow\",\"maxBytes\":4096}"));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_ARGUMENTS);
    assertThat(result.message()).contains("minted for other arguments of read_file");
  }

  @Test
  void rejectsArgumentsThatAreNotJson() {
    Invalid result = invalid(verifier.verify(token(), TOOL, "{\"path\":\"/a\",\"path\":\"/b\"}"));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_ARGUMENTS);
    assertThat(result.message()).contains("duplicate member names");
  }

  @Test
  void rejectsExpiredTokenButToleratesSkew() {
    String token = token();
    clock.advance(Duration.ofSeconds(30 + 10));
    assertThat(verifier.verify(token, TOOL, ARGS).isValid()).isTrue();

    clock.advance(Duration.ofSeconds(1));
    Invalid result = invalid(verifier.verify(token(), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(result.message()).startsWith("the token expired at 2026-11-01T12:00:30Z");
  }

  @Test
  void rejectsTokenNotYetValid() {
    var claims = claims(start, TOOL, ARGS).notBeforeTime(Date.from(start.plusSeconds(60))).build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.NOT_YET_VALID);
    assertThat(result.message()).startsWith("the token is not valid before 2026-11-01T12:01:00Z");
  }

  @Test
  void rejectsTokenIssuedInTheFuture() {
    var claims = claims(start.plusSeconds(120), TOOL, ARGS).build();
    assertThat(invalid(verifier.verify(es256(key, claims), TOOL, ARGS)).reason()).isEqualTo(Reason.NOT_YET_VALID);
  }

  @Test
  void rejectsTokenForAnotherUpstream() {
    var claims = claims(start, TOOL, ARGS).audience("billing").build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(result.message()).isEqualTo("the token is for [billing], not for this tool server (files)");
  }

  @Test
  void rejectsTokenFromAnotherIssuer() {
    var claims = claims(start, TOOL, ARGS).issuer("https://evil.example").build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_ISSUER);
    assertThat(result.message()).contains("issued by https://evil.example, not by https://portcullis.test");
  }

  @Test
  void rejectsUnsignedToken() {
    Invalid result = invalid(verifier.verify(TestTokens.unsigned(claims(start, TOOL, ARGS).build()), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.UNSIGNED);
    assertThat(result.message()).contains("alg none");
  }

  @Test
  void rejectsHmacTokenSignedWithThePublicKey() throws Exception {
    // The classic algorithm confusion: HS256 keyed with the verifier's own public key.
    byte[] secret = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("gw-1")
        .type(new JOSEObjectType(PerCallClaims.TYPE)).build(), claims(start, TOOL, ARGS).build());
    jwt.sign(new MACSigner(secret));

    Invalid result = invalid(verifier.verify(jwt.serialize(), TOOL, ARGS));

    assertThat(result.reason()).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(result.message()).isEqualTo("the token is signed with HS256; only ES256 and EdDSA are accepted");
  }

  @Test
  void rejectsTokenSignedByAnotherKeyWithTheSameKid() {
    String forged = es256(TestTokens.ecKey("gw-1"), claims(start, TOOL, ARGS).build());
    Invalid result = invalid(verifier.verify(forged, TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(result.message()).isEqualTo("the signature does not verify with key gw-1");
  }

  @Test
  void rejectsTokenWhosePayloadWasEdited() {
    String[] parts = token().split("\\.");
    String payload = new String(new Base64URL(parts[1]).decode(), StandardCharsets.UTF_8)
        .replace("read_file", "rm_rf____");
    String edited = parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];
    assertThat(invalid(verifier.verify(edited, "rm_rf____", ARGS)).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsEdDsaTokenNamingAnEcKey() {
    OctetKeyPair impostor = new OctetKeyPair.Builder(TestTokens.edKey("gw-1")).keyID("gw-1").build();
    String token = TestTokens.ed25519(impostor, claims(start, TOOL, ARGS).build());
    Invalid result = invalid(verifier.verify(token, TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(result.message()).contains("the token is EdDSA but key gw-1 is EC");
  }

  @Test
  void rejectsUnknownKid() {
    String token = es256(TestTokens.ecKey("gw-9"), claims(start, TOOL, ARGS).build());
    Invalid result = invalid(verifier.verify(token, TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(result.message()).startsWith("no key with kid gw-9");
  }

  @Test
  void rejectsTokenWithoutKid() {
    String token = es256(key, claims(start, TOOL, ARGS).build(), h -> h.keyID(null));
    assertThat(invalid(verifier.verify(token, TOOL, ARGS)).message()).contains("no kid header");
  }

  @Test
  void rejectsTruncatedToken() {
    String token = token();
    Invalid noSignature = invalid(verifier.verify(token.substring(0, token.lastIndexOf('.')), TOOL, ARGS));
    assertThat(noSignature.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(noSignature.message()).startsWith("the token is not a JWT");

    Invalid cutInHeader = invalid(verifier.verify(token.substring(0, 10), TOOL, ARGS));
    assertThat(cutInHeader.reason()).isEqualTo(Reason.MALFORMED);

    Invalid shortSignature = invalid(verifier.verify(token.substring(0, token.length() - 8), TOOL, ARGS));
    assertThat(shortSignature.reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsMissingToken() {
    Invalid result = invalid(verifier.verify(null, TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(result.message()).startsWith("no per-call token was presented");
  }

  @Test
  void rejectsOversizedToken() {
    var claims = claims(start, TOOL, ARGS).claim("padding", "x".repeat(9000)).build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.OVERSIZED);
    assertThat(result.message()).endsWith("characters, more than the 8192 accepted");
  }

  @Test
  void rejectsOtherKindsOfJwtSignedByTheSameKey() {
    String token = es256(key, claims(start, TOOL, ARGS).build(), h -> h.type(JOSEObjectType.JWT));
    Invalid result = invalid(verifier.verify(token, TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(result.message()).startsWith("the token's typ is JWT, not portcullis-call+jwt");
  }

  @Test
  void rejectsTokenThatLivesTooLong() {
    var claims = claims(start, TOOL, ARGS).expirationTime(Date.from(start.plus(Duration.ofHours(1)))).build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.LIFETIME_TOO_LONG);
    assertThat(result.message()).isEqualTo("the token lives 3600 s, longer than the 300 s this verifier accepts");
  }

  @Test
  void rejectsTokenWithoutJti() {
    var claims = claims(start, TOOL, ARGS).jwtID(null).build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.MISSING_CLAIM);
    assertThat(result.message()).isEqualTo("the token lacks jti");
  }

  @Test
  void rejectsMalformedActorClaim() {
    var claims = claims(start, TOOL, ARGS).claim("act", "orchestrator").build();
    Invalid result = invalid(verifier.verify(es256(key, claims), TOOL, ARGS));
    assertThat(result.reason()).isEqualTo(Reason.MISSING_CLAIM);
    assertThat(result.message()).contains("act claim must be an object with a string sub");
  }

  @Test
  void refusesCallsOnceTheReplayCacheIsFullOfLiveTokens() {
    PerCallTokenVerifier small = PerCallTokenVerifier.builder().jwkSet(new JWKSet(key)).issuer(ISSUER)
        .audience(AUDIENCE).clock(clock).maxReplayEntries(1).build();
    assertThat(small.verify(token(), TOOL, ARGS).isValid()).isTrue();

    assertThat(invalid(small.verify(token(), TOOL, ARGS)).reason()).isEqualTo(Reason.REPLAY_CACHE_FULL);

    clock.advance(Duration.ofSeconds(41)); // the first token can no longer pass, so its entry goes
    var fresh = es256(key, claims(clock.instant(), TOOL, ARGS).build());
    assertThat(small.verify(fresh, TOOL, ARGS).isValid()).isTrue();
  }

  @Test
  void builderNamesWhatIsMissing() {
    assertThatThrownBy(() -> PerCallTokenVerifier.builder().jwkSet(new JWKSet(key)).audience(AUDIENCE).build())
        .hasMessageStartingWith("a per-call token verifier needs issuer");
    assertThatThrownBy(() -> PerCallTokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).build())
        .hasMessage("give exactly one of jwksUrl and jwkSet (got neither)");
    assertThatThrownBy(() -> PerCallTokenVerifier.builder().clockSkew(Duration.ofSeconds(-1)))
        .hasMessage("clockSkew is PT-1S; it must not be negative");
  }
}
