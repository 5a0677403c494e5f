package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.testing.MutableClock;
import dev.portcullis.verifier.CanonicalJson;
import dev.portcullis.verifier.PerCallClaims;
import dev.portcullis.verifier.PerCallTokenVerifier;
import dev.portcullis.verifier.VerificationResult;
import dev.portcullis.verifier.VerificationResult.Invalid;
import dev.portcullis.verifier.VerificationResult.Reason;
import dev.portcullis.verifier.VerificationResult.Valid;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens minted here, checked by the verifier library exactly as a tool server would. */
class TokenIssuerTest {
  static final String ISSUER = "https://portcullis.test";
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));
  final SigningKeys keys = SigningKeys.inMemory(SigningKeys.DEFAULT_OVERLAP, clock);
  final TokenIssuer issuer = new TokenIssuer(ISSUER, keys, TokenIssuer.DEFAULT_LIFETIME, clock);
  final Agent agent = new Agent("support-bot", "v1", java.util.Set.of("support"), Map.of(), List.of(), "k1");

  PerCallTokenVerifier verifierFor(String upstream) {
    return PerCallTokenVerifier.builder().jwkSet(keys.publicKeys()).issuer(ISSUER).audience(upstream).clock(clock)
        .build();
  }

  static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  @Test
  void mintsATokenTheToolServerAccepts() throws Exception {
    var minted = issuer.mint(agent, "acme", "crm_search", json("{\"query\":\"Smith\",\"limit\":5}"));

    var result = verifierFor("acme").verify(minted.token(), "crm_search", "{\"limit\": 5.0, \"query\": \"Smith\"}");

    assertThat(result).isInstanceOf(Valid.class);
    PerCallClaims claims = ((Valid) result).claims();
    assertThat(claims.subject()).isEqualTo("support-bot");
    assertThat(claims.jti()).isEqualTo(minted.jti()).hasSize(32);
    assertThat(claims.expiresAt()).isEqualTo(minted.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
  }

  @Test
  void carriesTheDelegationChainAsNestedActClaims() throws Exception {
    Agent subAgent = new Agent("ops-bot/researcher", "v1", java.util.Set.of("support"), Map.of(),
        List.of("ops-lead", "ops-bot"), "jti-1");

    var minted = issuer.mint(subAgent, "acme", "crm_search", json("{}"));

    var act = SignedJWT.parse(minted.token()).getJWTClaimsSet().getJSONObjectClaim("act");
    assertThat(act).isEqualTo(Map.of("sub", "ops-bot", "act", Map.of("sub", "ops-lead")));
    var valid = (Valid) verifierFor("acme").verify(minted.token(), "crm_search", "{}");
    assertThat(valid.claims().actorChain()).containsExactly("ops-lead", "ops-bot");
  }

  @Test
  void mintedPayloadCarriesEveryClaimWithItsJsonType() throws Exception {
    Agent subAgent = new Agent("ops-bot/researcher", "v1", java.util.Set.of("support"), Map.of(),
        List.of("ops-lead", "ops-bot"), "jti-1");
    var arguments = json("{\"query\":\"Smith\",\"limit\":5}");

    var minted = issuer.mint(subAgent, "acme", "crm_search", arguments);

    String[] parts = minted.token().split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertThat(header.get("alg").asText()).isEqualTo("ES256");
    assertThat(header.get("typ").asText()).isEqualTo(PerCallClaims.TYPE);
    assertThat(header.get("kid").asText()).isEqualTo(keys.currentKeyId());
    JsonNode payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
    long now = clock.instant().getEpochSecond();
    assertThat(payload).isEqualTo(json("""
        {"iss": "https://portcullis.test", "sub": "ops-bot/researcher", "aud": "acme", "scope": "crm_search",
         "args_hash": "%s", "jti": "%s", "iat": %d, "exp": %d,
         "act": {"sub": "ops-bot", "act": {"sub": "ops-lead"}}}
        """.formatted(CanonicalJson.sha256("{\"limit\":5,\"query\":\"Smith\"}"), minted.jti(), now, now + 30)));
    assertThat(payload.get("aud").isTextual()).as("aud is one string, not an array").isTrue();
    assertThat(payload.get("iat").isIntegralNumber()).as("iat is a number of seconds").isTrue();
    assertThat(payload.get("exp").isIntegralNumber()).as("exp is a number of seconds").isTrue();
    assertThat(payload.get("jti").asText()).matches("[0-9a-f]{32}");
    assertThat(Base64.getUrlDecoder().decode(parts[2])).as("ES256 signature, R and S").hasSize(64);
  }

  @Test
  void tokenForOneCallIsRefusedForAnotherToolArgumentsOrUpstream() throws Exception {
    var minted = issuer.mint(agent, "acme", "crm_search", json("{\"query\":\"Smith\"}"));

    assertThat(reason(verifierFor("acme").verify(minted.token(), "mail_send", "{\"query\":\"Smith\"}")))
        .isEqualTo(Reason.WRONG_TOOL);
    assertThat(reason(verifierFor("acme").verify(minted.token(), "crm_search", "{\"query\":\"*\"}")))
        .isEqualTo(Reason.WRONG_ARGUMENTS);
    assertThat(reason(verifierFor("billing").verify(minted.token(), "crm_search", "{\"query\":\"Smith\"}")))
        .isEqualTo(Reason.WRONG_AUDIENCE);
  }

  @Test
  void missingArgumentsHashAsTheEmptyObject() {
    var minted = issuer.mint(agent, "acme", "ping", (JsonNode) null);
    assertThat(verifierFor("acme").verify(minted.token(), "ping", (String) null).isValid()).isTrue();
  }

  @Test
  void tokenExpiresAfterItsLifetime() throws Exception {
    var minted = issuer.mint(agent, "acme", "crm_search", json("{}"));
    clock.advance(Duration.ofSeconds(30 + 11));
    assertThat(reason(verifierFor("acme").verify(minted.token(), "crm_search", "{}"))).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void everyTokenHasItsOwnJti() throws Exception {
    var a = issuer.mint(agent, "acme", "crm_search", json("{}"));
    var b = issuer.mint(agent, "acme", "crm_search", json("{}"));
    assertThat(a.jti()).isNotEqualTo(b.jti());
    assertThat(a.token()).isNotEqualTo(b.token());
  }

  @Test
  void jtisDrawnOnManyThreadsAreAllDistinct() throws Exception {
    var jtis = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 64; t++) {
        threads.submit(() -> {
          for (int i = 0; i < 500; i++) {
            jtis.add(TokenIssuer.newJti());
          }
        });
      }
    }
    assertThat(jtis).hasSize(64 * 500).allMatch(jti -> jti.matches("[0-9a-f]{32}"));
  }

  @Test
  void neverPrintsTheToken() throws Exception {
    var minted = issuer.mint(agent, "acme", "crm_search", json("{}"));
    assertThat(minted.toString()).doesNotContain(minted.token()).contains(minted.jti());
  }

  @Test
  void refusesLifetimesOutsideOneSecondToFiveMinutes() {
    assertThatThrownBy(() -> new TokenIssuer(ISSUER, keys, Duration.ofHours(1), clock))
        .hasMessage("per-call token lifetime is PT1H; it must be between 1 s and 300 s (default 30 s)");
    assertThatThrownBy(() -> new TokenIssuer(ISSUER, keys, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toolServerFollowsAKeyRotationThroughThePublishedJwks() throws Exception {
    HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.createContext("/.well-known/jwks.json", exchange -> {
      byte[] body = keys.jwks().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
    try {
      var verifier = PerCallTokenVerifier.builder()
          .jwksUrl(URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json"))
          .issuer(ISSUER).audience("acme").clock(clock).build();
      var before = issuer.mint(agent, "acme", "crm_search", json("{}"));
      assertThat(verifier.verify(before.token(), "crm_search", "{}").isValid()).isTrue();

      var leftover = issuer.mint(agent, "acme", "crm_search", json("{}"));
      keys.rotate();
      clock.advance(Duration.ofSeconds(31)); // past the verifier's least refetch interval
      var after = issuer.mint(agent, "acme", "crm_search", json("{}"));

      assertThat(verifier.verify(after.token(), "crm_search", "{}").isValid()).isTrue();
      assertThat(verifier.verify(leftover.token(), "crm_search", "{}").isValid())
          .as("a token signed just before the rotation still verifies: the old key stays in the JWKS").isTrue();
    } finally {
      jwks.stop(0);
    }
  }

  private static Reason reason(VerificationResult result) {
    assertThat(result).isInstanceOf(Invalid.class);
    return ((Invalid) result).reason();
  }
}
