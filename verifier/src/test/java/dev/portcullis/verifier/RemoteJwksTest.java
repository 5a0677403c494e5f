package dev.portcullis.verifier;

import static dev.portcullis.verifier.TestTokens.AUDIENCE;
import static dev.portcullis.verifier.TestTokens.ISSUER;
import static dev.portcullis.verifier.TestTokens.claims;
import static dev.portcullis.verifier.TestTokens.es256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.verifier.VerificationResult.Invalid;
import dev.portcullis.verifier.VerificationResult.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifier against a real HTTP server publishing the gateway's key set, as a tool server would use it. */
class RemoteJwksTest {
  static final String TOOL = "search";
  static final String ARGS = "{\"q\":\"refunds\"}";

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));
  final ECKey first = TestTokens.ecKey("k1");
  final ECKey second = TestTokens.ecKey("k2");
  final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first));
  final AtomicInteger fetches = new AtomicInteger();
  final AtomicInteger status = new AtomicInteger(200);
  HttpServer server;
  PerCallTokenVerifier verifier;

  @BeforeEach
  void startJwksServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/.well-known/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
      exchange.sendResponseHeaders(status.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    verifier = PerCallTokenVerifier.builder()
        .jwksUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json"))
        .issuer(ISSUER).audience(AUDIENCE).clock(clock)
        .jwksTimeToLive(Duration.ofMinutes(10)).jwksMinRefetchInterval(Duration.ofSeconds(30))
        .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String token(ECKey key) {
    return es256(key, claims(clock.instant(), TOOL, ARGS).build());
  }

  @Test
  void fetchesTheKeySetOnceForManyCalls() {
    for (int i = 0; i < 5; i++) {
      assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void fetchesAgainWhenTheGatewayRotatedToAnUnknownKey() {
    assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
    published.set(new JWKSet(List.of(second, first)));
    clock.advance(Duration.ofSeconds(31));

    assertThat(verifier.verify(token(second), TOOL, ARGS).isValid()).isTrue();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void unknownKidsFetchAtMostOncePerInterval() {
    assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
    clock.advance(Duration.ofSeconds(31));
    ECKey forged = TestTokens.ecKey("forged");
    for (int i = 0; i < 10; i++) {
      assertThat(((Invalid) verifier.verify(token(forged), TOOL, ARGS)).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    }
    assertThat(fetches).hasValue(2);
  }

  @Test
  void fetchesAgainAfterTheTimeToLive() {
    assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
    clock.advance(Duration.ofMinutes(11));
    assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void keepsCachedKeysWhenARefetchFails() {
    assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
    status.set(503);
    clock.advance(Duration.ofMinutes(11));
    assertThat(verifier.verify(token(first), TOOL, ARGS).isValid()).isTrue();
  }

  @Test
  void rejectsEveryTokenWhileTheKeySetCannotBeFetched() {
    status.set(500);
    Invalid result = (Invalid) verifier.verify(token(first), TOOL, ARGS);
    assertThat(result.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    assertThat(result.message()).contains("could not be fetched: HTTP 500");
  }

  @Test
  void rejectsTokensWhenTheJwksServerIsDown() {
    server.stop(0);
    Invalid result = (Invalid) verifier.verify(token(first), TOOL, ARGS);
    assertThat(result.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    assertThat(result.message()).contains("/.well-known/jwks.json could not be fetched");
  }
}
