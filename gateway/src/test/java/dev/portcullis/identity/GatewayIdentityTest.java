package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEntry;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.json.Json;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testing.example.EchoToolServer;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import dev.portcullis.testsupport.CredentialProxy;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.verifier.PerCallTokenVerifier;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 end to end: agents authenticated by a real OIDC server (and by API key) call tools through a real gateway;
 * the demo tool server (its {@code --verify-tokens} option, in its own process) and the verifier example check every
 * per-call token; sub-agents come from the token endpoint; the audit log shows who acted for whom.
 */
class GatewayIdentityTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { url: "%s" }
        echo: { url: "%s" }
        local: { command: %s }
      agents:
        ops-bot:
          roles: [ops]
          oidc: { issuer: "%s", subject: ops-bot }
        support-bot:
          roles: [support]
          keys: [ ${key:support-bot} ]
      roles:
        support:
          grants:
            - { id: tickets, tools: [acme.tickets_read, echo.echo, local.echo] }
        ops:
          extends: [support]
          grants:
            - { id: customers, tools: [acme.crm_get] }
      """;
  private static final Set<String> NOT_REPLAYED = Set.of("host", "content-length", "content-type", "accept",
      "connection", "upgrade", "expect");

  private static MockIdp idp;
  private static FixtureProcess acme;
  private static CredentialProxy acmeWire;
  private static McpFixture.Running echo;
  private static GatewayHarness gateway;
  private static String policy;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    idp = new MockIdp();
    int port = GatewayHarness.freePort();
    String base = "http://127.0.0.1:" + port;
    String jwks = base + "/.well-known/jwks.json";
    Path sandbox = Files.createTempDirectory("acme-sandbox");
    acme = FixtureProcess.http(DemoToolServer.class, "--sandbox", sandbox.toString(), "--verify-tokens", jwks,
        "--issuer", base, "--audience", "acme");
    acmeWire = CredentialProxy.recording(acme.url());
    echo = EchoToolServer.fixture(PerCallTokenVerifier.builder().jwksUrl(URI.create(jwks)).issuer(base)
        .audience("echo").build()).startHttp(0, EnumSet.allOf(Wire.class));
    List<String> local = FixtureProcess.command(EchoToolServer.class, List.of("--jwks", jwks, "--issuer", base,
        "--audience", "local"));
    policy = POLICY.formatted(acmeWire.url(acme.url().getPath()), echo.url(),
        Json.write(Json.MAPPER.valueToTree(local)), idp.issuer());
    gateway = GatewayHarness.start(policy, port);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    echo.close();
    acmeWire.close();
    acme.close();
    idp.close();
  }

  private static String opsToken() {
    return idp.token("ops-bot", List.of(gateway.gateway().resource()), Map.of(), 3600);
  }

  private static McpTestClient client(String bearer) {
    return McpTestClient.stateless(gateway.mcpUrl()).header("Authorization", "Bearer " + bearer);
  }

  private static ObjectNode ticket() {
    return Json.object().put("ticket_id", "T-1001");
  }

  private static String text(ObjectNode result) {
    return result.path("content").path(0).path("text").asText();
  }

  private static List<String> toolNames(ObjectNode listResult) {
    return StreamSupport.stream(listResult.path("tools").spliterator(), false).map(t -> t.path("name").asText())
        .toList();
  }

  /** POSTs a token exchange to the gateway's token endpoint. */
  private static HttpResponse<String> exchange(String subjectToken, String scope, String name) throws Exception {
    String form = "grant_type=" + enc(TokenExchangeHandler.GRANT_TYPE) + "&subject_token=" + enc(subjectToken)
        + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token") + "&scope=" + enc(scope)
        + "&agent_name=" + enc(name);
    return HTTP.send(HttpRequest.newBuilder(gateway.gateway().baseUri().resolve("/oauth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String subAgentToken(String scope, String name) throws Exception {
    HttpResponse<String> response = exchange(opsToken(), scope, name);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body()).path("access_token").asText();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<AuditRecord> audit() {
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      return store.range(1, 100_000);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(gateway.gateway().baseUri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void oidcAgentsCallIsVerifiedUpstreamAndAReplayOfItsTokenFails() {
    String access = opsToken();
    int before = acmeWire.seen().size();

    ObjectNode result = client(access).callTool("acme.tickets_read", ticket()).result();

    assertThat(result.path("isError").asBoolean()).as(text(result)).isFalse();
    assertThat(text(result)).contains("T-1001");
    CredentialProxy.Seen call = acmeWire.seen().subList(before, acmeWire.seen().size()).stream()
        .filter(s -> s.bodyText().contains("\"tools/call\"")).findFirst().orElseThrow();
    assertThat(call.header("authorization")).startsWith("Bearer ey").doesNotContain(access);

    Map<String, String> headers = new LinkedHashMap<>(call.headers());
    headers.keySet().removeAll(NOT_REPLAYED);
    McpTestClient.Response replay = McpTestClient.stateless(acme.url())
        .send((ObjectNode) dev.portcullis.testing.kit.Json.parse(call.bodyText()), headers);

    assertThat(replay.error().path("message").asText()).contains("REPLAYED");
  }

  @Test
  void upstreamNeverSeesTheAgentsOwnCredential() {
    String access = opsToken();
    String apiKey = gateway.key("support-bot");

    client(access).callTool("acme.tickets_read", ticket()).result();
    client(apiKey).callTool("acme.tickets_read", ticket()).result();

    assertThat(acmeWire.seen()).isNotEmpty().allSatisfy(seen -> {
      assertThat(seen.headers().values()).noneMatch(v -> v.contains(access) || v.contains(apiKey));
      assertThat(seen.bodyText()).doesNotContain(access).doesNotContain(apiKey);
    });
  }

  @Test
  void stdioUpstreamReceivesAndVerifiesItsTokenInMeta() {
    ObjectNode result = client(gateway.key("support-bot")).callTool("local.echo", Json.object().put("text", "hi"))
        .result();

    assertThat(text(result)).isEqualTo("hi (called by support-bot)");
  }

  @Test
  void subAgentCanDoStrictlyLessAndAppearsUnderItsParentInTheAudit() throws Exception {
    String sub = subAgentToken("role:support", "researcher");
    ObjectNode customer = Json.object().put("id", "C001");

    assertThat(client(opsToken()).callTool("acme.crm_get", customer).result().path("isError").asBoolean()).isFalse();
    ObjectNode denied = client(sub).callTool("acme.crm_get", customer).result();
    ObjectNode echoed = client(sub).callTool("echo.echo", Json.object().put("text", "hello")).result();

    assertThat(denied.path("isError").asBoolean()).isTrue();
    assertThat(text(denied)).contains("Denied by Portcullis");
    assertThat(text(echoed)).isEqualTo("hello (called by ops-bot/researcher on behalf of ops-bot)");
    assertThat(toolNames(client(sub).result("tools/list", null))).doesNotContain("acme.crm_get")
        .contains("echo.echo");
    assertThat(audit()).anySatisfy(r -> {
      assertThat(r.method()).isEqualTo("token/exchange");
      assertThat(r.agent()).isEqualTo("ops-bot");
      assertThat(r.tool()).isEqualTo("ops-bot/researcher");
      assertThat(r.decision()).isEqualTo(AuditEntry.Verdict.ALLOW);
    }).anySatisfy(r -> {
      assertThat(r.agent()).isEqualTo("ops-bot/researcher");
      assertThat(r.actorChain()).containsExactly("ops-bot");
      assertThat(r.tool()).isEqualTo("echo.echo");
      assertThat(r.extra().path("perCallJti").size()).isEqualTo(1);
    });
  }

  @Test
  void apiKeyAgentCanDelegateToo() throws Exception {
    HttpResponse<String> response = exchange(gateway.key("support-bot"), "tool:echo.echo", "helper");
    String sub = Json.MAPPER.readTree(response.body()).path("access_token").asText();

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(text(client(sub).callTool("echo.echo", Json.object().put("text", "x")).result()))
        .isEqualTo("x (called by support-bot/helper on behalf of support-bot)");
  }

  @Test
  void unreachableIdentityProviderIsAClearStartUpError() throws Exception {
    String closed = "http://127.0.0.1:" + GatewayHarness.freePort() + "/realm";
    String text = """
        version: 1
        agents:
          far-bot: { roles: [r], oidc: { issuer: "%s", subject: far-bot } }
        roles:
          r: {}
        """.formatted(closed);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayHarness.start(text))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("identity provider " + closed)
        .hasMessageContaining("agent 'far-bot'");
  }

  @Test
  void subAgentOutsideItsToolLimitGets403InsufficientScope() throws Exception {
    String sub = subAgentToken("tool:echo.*", "echo-only");

    McpTestClient.Response response = client(sub).callTool("acme.tickets_read", ticket());

    assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(403);
    assertThat(response.header("WWW-Authenticate")).as(response.headers().toString()).hasValueSatisfying(h -> assertThat(h)
        .contains("error=\"insufficient_scope\"", "scope=\"tool:acme.tickets_read\"", "resource_metadata="));
    assertThat(toolNames(client(sub).result("tools/list", null))).containsExactly("echo.echo");
  }

  @Test
  void exchangeForMoreThanTheParentHoldsIsRefusedAndAudited() throws Exception {
    HttpResponse<String> response = exchange(opsToken(), "role:billing", "greedy");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(response.body()).path("error").asText()).isEqualTo("invalid_scope");
    assertThat(audit()).anySatisfy(r -> {
      assertThat(r.method()).isEqualTo("token/exchange");
      assertThat(r.decision()).isEqualTo(AuditEntry.Verdict.DENY);
      assertThat(r.reason()).contains("billing");
    });
  }

  @Test
  void rotatingAnAgentsVersionEndsItsSessionsAndItsSubAgentTokens() throws Exception {
    McpTestClient session = McpTestClient.stateful(gateway.mcpUrl()).header("Authorization", "Bearer " + opsToken());
    session.initialize();
    assertThat(session.request("tools/list", null).status()).isEqualTo(200);
    String sub = subAgentToken("role:support", "before-rotation");
    try {
      gateway.reload(policy.replace("    roles: [ops]\n", "    roles: [ops]\n    version: v2\n"));

      McpTestClient.Response oldSession = session.request("tools/list", null);
      McpTestClient.Response oldSubAgent = client(sub).request("tools/list", null);

      assertThat(oldSession.status()).as(String.valueOf(oldSession.body())).isEqualTo(404);
      assertThat(oldSubAgent.status()).isEqualTo(401);
      assertThat(oldSubAgent.error().path("message").asText()).contains("rotated to v2");
      assertThat(oldSubAgent.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
          .contains("error=\"invalid_token\""));
      assertThat(client(opsToken()).callTool("acme.tickets_read", ticket()).result().path("isError").asBoolean())
          .isFalse();
    } finally {
      gateway.reload(policy);
    }
  }

  @Test
  void badTokensAreRefusedWith401AndAChallengeNamingTheMetadata() {
    String wrongAudience = idp.token("ops-bot", List.of("https://elsewhere.example/mcp"), Map.of(), 3600);
    String stranger = idp.token("stranger", List.of(gateway.gateway().resource()), Map.of(), 3600);
    String expired = idp.token("ops-bot", List.of(gateway.gateway().resource()), Map.of(), -300);

    for (String token : List.of(wrongAudience, stranger, expired, "not-a-token")) {
      McpTestClient.Response response = client(token).request("tools/list", null);
      assertThat(response.status()).as(token).isEqualTo(401);
      assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
          .contains("resource_metadata=\"" + gateway.gateway().baseUri().resolve(
              "/.well-known/oauth-protected-resource/mcp") + "\"", "error=\"invalid_token\""));
    }
    assertThat(client(wrongAudience).request("tools/list", null).error().path("data").path("reason").asText())
        .isEqualTo("WRONG_AUDIENCE");
    assertThat(client(stranger).request("tools/list", null).error().path("message").asText())
        .contains("subject: stranger");
    assertThat(client(expired).request("tools/list", null).error().path("data").path("reason").asText())
        .isEqualTo("EXPIRED");
  }

  @Test
  void perCallTokenIsNoCredentialForTheGateway() {
    client(gateway.key("support-bot")).callTool("acme.tickets_read", ticket()).result();
    String perCall = acmeWire.seen().getLast().header("authorization").substring("Bearer ".length());

    McpTestClient.Response response = client(perCall).request("tools/list", null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.error().path("data").path("reason").asText()).isEqualTo("WRONG_TYPE");
  }

  @Test
  void metadataNamesTheIdentityProviderAndTheGatewaysKeysAreServed() throws Exception {
    JsonNode metadata = Json.MAPPER.readTree(get("/.well-known/oauth-protected-resource/mcp").body());
    JsonNode jwks = Json.MAPPER.readTree(get("/.well-known/jwks.json").body());
    JsonNode server = Json.MAPPER.readTree(get("/.well-known/oauth-authorization-server").body());

    assertThat(metadata.path("resource").asText()).isEqualTo(gateway.gateway().resource());
    assertThat(StreamSupport.stream(metadata.path("authorization_servers").spliterator(), false).map(JsonNode::asText))
        .containsExactly(idp.issuer(), gateway.gateway().issuer());
    assertThat(jwks.path("keys").path(0).path("kty").asText()).isEqualTo("EC");
    assertThat(jwks.path("keys").path(0).has("d")).isFalse();
    assertThat(server.path("token_endpoint").asText()).endsWith("/oauth/token");
    assertThat(server.path("issuer").asText()).isEqualTo(gateway.gateway().issuer());
  }
}
