package dev.portcullis.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OAuth 2 / OIDC server ({@code no.nav.security:mock-oauth2-server}) on a random loopback port. Tokens come
 * from its token endpoint over HTTP with the client credentials grant; the test only chooses what the next token says.
 * Its signing key can be rotated, to test key-set refetching.
 */
final class MockIdp implements AutoCloseable {
  static final String ISSUER_ID = "default";

  private final RotatingKeys keys = new RotatingKeys();
  private final MockOAuth2Server server =
      new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  MockIdp() {
    server.start();
    warmUp();
  }

  /** The server's first answer loads Kotlin, Netty and templates: seconds on a busy machine, so pay it here. */
  private void warmUp() {
    try {
      http.send(HttpRequest.newBuilder(server.wellKnownUrl(ISSUER_ID).uri()).timeout(java.time.Duration.ofMinutes(1))
          .build(), HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new IllegalStateException("the OIDC test server did not answer", e);
    }
  }

  String issuer() {
    return issuer(ISSUER_ID);
  }

  String issuer(String issuerId) {
    return server.issuerUrl(issuerId).toString();
  }

  URI jwksUri() {
    return server.jwksUrl(ISSUER_ID).uri();
  }

  /** A token from issuer {@code default} for client {@code agent}, with this audience, claims and lifetime. */
  String token(String agent, List<String> audience, Map<String, Object> claims, long expirySeconds) {
    return token(ISSUER_ID, agent, audience, claims, expirySeconds);
  }

  String token(String issuerId, String agent, List<String> audience, Map<String, Object> claims, long expiry) {
    return token(issuerId, agent, agent, audience, claims, expiry);
  }

  /**
   * A client-credentials token whose {@code sub} differs from the client (as Keycloak's service accounts have): the
   * server sets {@code azp} to {@code clientId}.
   */
  String token(String issuerId, String subject, String clientId, List<String> audience, Map<String, Object> claims,
      long expiry) {
    server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", audience, claims, expiry));
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
        + "&client_secret=secret";
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.tokenEndpointUrl(issuerId).uri())
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
      }
      return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** From now on the IdP signs with (and publishes only) a new key. */
  void rotateKey() {
    keys.rotate();
  }

  @Override
  public void close() {
    server.shutdown();
  }

  /** The IdP's key provider with a key that can be replaced; its kid changes on each rotation. */
  private static final class RotatingKeys extends KeyProvider {
    private final AtomicInteger generation = new AtomicInteger(1);
    private volatile RSAKey current = generate(1);

    RotatingKeys() {
      super(List.of(), "RS256");
    }

    void rotate() {
      current = generate(generation.incrementAndGet());
    }

    @Override
    public JWK signingKey(String keyId) {
      return current;
    }

    private static RSAKey generate(int generation) {
      try {
        return new RSAKeyGenerator(2048).keyID("idp-key-" + generation).generate();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
