package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.json.Json;
import dev.portcullis.verifier.PerCallClaims;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claims written directly are the claims Nimbus' {@code JWTClaimsSet} wrote for the same token: the same members
 * with the same JSON types and values, strings escaped alike. (Nimbus put the members in the order of a HashMap; they
 * are now in the order the token was built in, which JSON readers ignore.)
 */
class PerCallPayloadTest {
  static final Instant NOW = Instant.parse("2026-11-01T12:00:00.999Z");

  /** The claims as the gateway built them before: through JWTClaimsSet and Nimbus' Gson. */
  static byte[] viaNimbus(String issuer, String subject, String audience, String scope, String argsHash, String jti,
      Instant issuedAt, Instant expiresAt, List<String> actorChain) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(audience)
        .claim(PerCallClaims.SCOPE, scope)
        .claim(PerCallClaims.ARGS_HASH, argsHash)
        .jwtID(jti)
        .issueTime(Date.from(issuedAt))
        .expirationTime(Date.from(expiresAt));
    Map<String, Object> act = TokenIssuer.actClaim(actorChain);
    if (act != null) {
      claims.claim(PerCallClaims.ACT, act);
    }
    return claims.build().toPayload().toBytes();
  }

  static byte[] direct(String issuer, String subject, String audience, String scope, String argsHash, String jti,
      Instant issuedAt, Instant expiresAt, List<String> actorChain) {
    return PerCallPayload.json(issuer, subject, audience, scope, argsHash, jti, issuedAt.toEpochMilli(),
        expiresAt.toEpochMilli(), actorChain);
  }

  /** The JSON as a tree: member order aside, equal trees are equal JSON (types included: 5 and 5.0 differ). */
  static JsonNode tree(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void writesTheClaimsNimbusWroteForEveryChainLength() {
    for (List<String> chain : List.of(List.<String>of(), List.of("ops-bot"), List.of("ops-lead", "ops-bot"),
        List.of("root", "lead", "ops-bot", "researcher"))) {
      String hash = "uoTSbDEkZVkFCNDXwdxlPi5bEOFM0tarnMmWuB2W5Zg";
      String jti = "4af62cc63227b35ec816be337996dc6f";
      byte[] expected = viaNimbus("https://portcullis.example", "ops-bot/researcher", "billing", "refund", hash, jti,
          NOW, NOW.plusSeconds(30), chain);
      byte[] actual = direct("https://portcullis.example", "ops-bot/researcher", "billing", "refund", hash, jti,
          NOW, NOW.plusSeconds(30), chain);
      assertThat(tree(actual)).as("chain %s", chain).isEqualTo(tree(expected));
    }
  }

  @Test
  void escapesStringsAsGsonDid() throws Exception {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      every.append(c);
    }
    for (String s : List.of(every.toString(), "\u2028\u2029\u0085\u00e9\u20ac\ufeff", "\ud83d\ude00 emoji",
        "lone \ud800 and \udc00 surrogates", "<script>&amp;='x'</script>", "")) {
      String gson = JSONObjectUtils.toJSONString(Map.of("k", s));
      assertThat(PerCallPayload.string(new StringBuilder(), s).toString())
          .as("%s", s.codePoints().mapToObj(Integer::toHexString).toList())
          .isEqualTo(gson.substring("{\"k\":".length(), gson.length() - 1));
      assertThat(tree(direct(s, s, s, s, s, s, NOW, NOW, List.of(s, s))))
          .isEqualTo(tree(viaNimbus(s, s, s, s, s, s, NOW, NOW, List.of(s, s))));
    }
  }

  @Test
  void writesSecondsTruncatedAsDateDid() {
    for (Instant t : List.of(Instant.EPOCH, Instant.parse("2026-11-01T12:00:00Z"), NOW,
        Instant.parse("1969-12-31T23:59:59.500Z"), Instant.parse("2200-01-01T00:00:00.001Z"))) {
      assertThat(tree(direct("i", "s", "a", "t", "h", "j", t, t, List.of())))
          .as("%s", t).isEqualTo(tree(viaNimbus("i", "s", "a", "t", "h", "j", t, t, List.of())));
    }
  }
}
