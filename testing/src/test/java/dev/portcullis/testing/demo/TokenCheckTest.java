package dev.portcullis.testing.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import dev.portcullis.verifier.CanonicalJson;
import dev.portcullis.verifier.PerCallClaims;
import dev.portcullis.verifier.PerCallTokenVerifier;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo server with {@code --verify-tokens}: each call needs its own per-call token, wherever it travels. */
class TokenCheckTest {
  static final String ISSUER = "https://portcullis.test";
  @TempDir
  static Path sandbox;
  static ECKey key;
  static McpFixture.Running server;

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    PerCallTokenVerifier verifier = PerCallTokenVerifier.builder().jwkSet(new JWKSet(key.toPublicJWK()))
        .issuer(ISSUER).audience("acme").build();
    server = DemoToolServer.fixture(sandbox, new TokenCheck(verifier)).startHttp(0, EnumSet.allOf(Wire.class));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A token shaped as the gateway mints it. */
  static String token(String audience, String tool, String argumentsJson) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("support-bot").audience(audience)
        .claim(PerCallClaims.SCOPE, tool).claim(PerCallClaims.ARGS_HASH, CanonicalJson.sha256(argumentsJson))
        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(30)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1")
        .type(new JOSEObjectType(PerCallClaims.TYPE)).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static ObjectNode ticket() {
    return Json.object().put("ticket_id", "T-1001");
  }

  static McpTestClient.Response call(McpTestClient client, ObjectNode arguments) {
    return client.callTool("tickets_read", arguments);
  }

  @Test
  void callWithItsBearerTokenRunsAndItsReplayIsRefused() throws Exception {
    String token = token("acme", "tickets_read", Json.write(ticket()));
    McpTestClient client = McpTestClient.stateless(server.url()).header("Authorization", "Bearer " + token);

    assertThat(call(client, ticket()).result().path("isError").asBoolean()).isFalse();
    McpTestClient.Response replay = call(client, ticket());

    assertThat(replay.isError()).isTrue();
    assertThat(replay.error().path("message").asText()).contains("REPLAYED");
  }

  @Test
  void tokenInTheCallTokenHeaderIsReadBesideAnUpstreamSecret() throws Exception {
    McpTestClient client = McpTestClient.stateless(server.url()).header("Authorization", "Bearer upstream-secret")
        .header(PerCallTokenVerifier.CALL_TOKEN_HEADER, token("acme", "tickets_read", Json.write(ticket())));

    assertThat(call(client, ticket()).result().path("isError").asBoolean()).isFalse();
  }

  @Test
  void tokenInMetaIsReadAsOnStdio() throws Exception {
    ObjectNode params = Json.object().put("name", "tickets_read");
    params.set("arguments", ticket());
    params.putObject("_meta").put(PerCallTokenVerifier.CREDENTIAL_META, token("acme", "tickets_read",
        Json.write(ticket())));

    McpTestClient.Response response = McpTestClient.stateless(server.url()).request("tools/call", params);

    assertThat(response.result().path("isError").asBoolean()).isFalse();
  }

  @Test
  void callWithoutATokenIsRefusedBeforeTheToolRuns() {
    McpTestClient.Response response = call(McpTestClient.stateless(server.url()), ticket());

    assertThat(response.error().path("code").asInt()).isEqualTo(TokenCheck.UNAUTHORIZED);
    assertThat(response.error().path("message").asText()).contains("MISSING", "through Portcullis");
  }

  @Test
  void tokenForOtherArgumentsAnotherToolOrAnotherUpstreamIsRefused() throws Exception {
    String otherArguments = token("acme", "tickets_read", "{\"ticket_id\":\"T-1002\"}");
    String otherTool = token("acme", "crm_delete", Json.write(ticket()));
    String otherUpstream = token("files", "tickets_read", Json.write(ticket()));

    assertThat(refusal(otherArguments)).contains("WRONG_ARGUMENTS");
    assertThat(refusal(otherTool)).contains("WRONG_TOOL");
    assertThat(refusal(otherUpstream)).contains("WRONG_AUDIENCE");
  }

  private static String refusal(String token) {
    McpTestClient client = McpTestClient.stateless(server.url()).header("Authorization", "Bearer " + token);
    return call(client, ticket()).error().path("message").asText();
  }
}
