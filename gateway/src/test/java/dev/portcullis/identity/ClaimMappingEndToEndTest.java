package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.json.Json;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Reply;
import dev.portcullis.testing.kit.Wire;
import dev.portcullis.testsupport.GatewayHarness;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claims of access tokens from a real OIDC server (mock-oauth2-server over HTTP) mapped through the policy's
 * {@code oidc:} entries: which agent, which extra roles (only those {@code roles_from_claim} allows), which
 * attributes; each positive case beside its negative one.
 */
class ClaimMappingEndToEndTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { url: "%1$s" }
      agents:
        ops-bot:
          roles: [support]
          oidc:
            issuer: "%2$s"
            subject: ops-bot
            roles_claim: realm_access.roles
            roles_from_claim: [billing]
            attributes: { region: tenant.region, zones: tenant.zones }
        batch-bot:
          roles: [support]
          oidc: { issuer: "%2$s", subject: batch-client, subject_claim: azp }
      roles:
        support:
          grants:
            - { id: tickets, tools: [acme.tickets] }
            - { id: eu-customers, tools: [acme.customers], when: 'agent.attributes.region == "EU"' }
        billing:
          grants:
            - { id: refunds, tools: [acme.refund] }
        admin:
          grants:
            - { id: purge, tools: [acme.purge] }
      """;

  private static MockIdp idp;
  private static McpFixture.Running acme;
  private static GatewayHarness gateway;
  private static String policy;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    idp = new MockIdp();
    McpFixture.Builder tools = McpFixture.builder("acme", "1.0.0");
    for (String name : List.of("tickets", "customers", "refund", "purge")) {
      tools.tool("{\"name\": \"" + name + "\", \"description\": \"" + name + "\", \"inputSchema\": {\"type\":"
          + " \"object\"}}", r -> Reply.text(name + " ok"));
    }
    acme = tools.build().startHttp(0, EnumSet.allOf(Wire.class));
    policy = POLICY.formatted(acme.url(), idp.issuer());
    gateway = GatewayHarness.start(policy);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    acme.close();
    idp.close();
  }

  private static String token(Map<String, Object> claims) {
    return idp.token("ops-bot", List.of(gateway.gateway().resource()), claims, 3600);
  }

  private static Map<String, Object> roles(String... roles) {
    return Map.of("realm_access", Map.of("roles", List.of(roles)));
  }

  private static ObjectNode call(String bearer, String tool) {
    return McpTestClient.stateless(gateway.mcpUrl()).header("Authorization", "Bearer " + bearer)
        .callTool(tool, Json.object()).result();
  }

  private static String text(ObjectNode result) {
    return result.path("content").path(0).path("text").asText();
  }

  private static List<AuditRecord> audit() {
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      return store.range(1, 100_000);
    }
  }

  @Test
  void roleFromTheTokensClaimGrantsItsToolAndWithoutItTheToolIsDenied() {
    ObjectNode withRole = call(token(roles("billing")), "acme.refund");
    ObjectNode withoutRole = call(token(Map.of()), "acme.refund");

    assertThat(text(withRole)).isEqualTo("refund ok");
    assertThat(withoutRole.path("isError").asBoolean()).isTrue();
    assertThat(text(withoutRole)).contains("Denied by Portcullis");
  }

  @Test
  void roleTheAgentMayNotTakeFromATokenIsIgnoredAndTheCallStillServed() {
    String token = token(roles("admin", "wizard"));

    ObjectNode purge = call(token, "acme.purge");
    ObjectNode tickets = call(token, "acme.tickets");

    assertThat(purge.path("isError").asBoolean()).isTrue();
    assertThat(text(purge)).contains("Denied by Portcullis");
    assertThat(text(tickets)).isEqualTo("tickets ok");
  }

  @Test
  void attributeFromAClaimDrivesAConditionAndAMissingClaimDeniesNamingTheGrant() {
    ObjectNode eu = call(token(Map.of("tenant", Map.of("region", "EU"))), "acme.customers");
    ObjectNode us = call(token(Map.of("tenant", Map.of("region", "US"))), "acme.customers");
    ObjectNode missing = call(token(Map.of()), "acme.customers");

    assertThat(text(eu)).isEqualTo("customers ok");
    assertThat(us.path("isError").asBoolean()).isTrue();
    assertThat(text(us)).contains("eu-customers");
    assertThat(missing.path("isError").asBoolean()).isTrue();
    assertThat(text(missing)).contains("eu-customers", "agent.attributes.region");
  }

  @Test
  void clientCredentialsTokenMapsOnItsClientNotItsSubject() throws Exception {
    String resource = gateway.gateway().resource();
    // As a Keycloak service account's token: sub is the account's id, azp the client that asked for the token.
    String serviceAccount = idp.token(MockIdp.ISSUER_ID, "svc-4711", "batch-client", List.of(resource),
        Map.of("sub", "svc-4711", "azp", "batch-client"), 3600);
    String otherClient = idp.token(MockIdp.ISSUER_ID, "svc-4712", "other-client", List.of(resource),
        Map.of("sub", "batch-client", "azp", "other-client"), 3600);
    assertThat(SignedJWT.parse(serviceAccount).getJWTClaimsSet().getSubject()).isEqualTo("svc-4711");

    McpTestClient.Response refused = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + otherClient).request("tools/list", null);

    assertThat(text(call(serviceAccount, "acme.tickets"))).isEqualTo("tickets ok");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.error().path("data").path("reason").asText()).isEqualTo("UNKNOWN_AGENT");
  }

  @Test
  void auditEntryShowsWhatTheTokenAdded() {
    call(token(Map.of("realm_access", Map.of("roles", List.of("billing", "admin")),
        "tenant", Map.of("region", "EU"))), "acme.refund");

    assertThat(audit()).anySatisfy(r -> {
      assertThat(r.agent()).isEqualTo("ops-bot");
      assertThat(r.tool()).isEqualTo("acme.refund");
      assertThat(r.rule()).isEqualTo("refunds");
      assertThat(r.extra().path("fromClaims").path("issuer").asText()).isEqualTo(idp.issuer());
      assertThat(r.extra().path("fromClaims").path("roles").toString()).isEqualTo("[\"billing\"]");
      assertThat(r.extra().path("fromClaims").path("attributes").path("region").asText()).isEqualTo("EU");
    });
  }

  @Test
  void auditEntryShowsANullInAListClaimAsJsonNullBesideItsOtherItems() {
    call(token(Map.of("tenant", Map.of("region", "EU", "zones", Arrays.asList("eu-west", null)))), "acme.customers");

    assertThat(audit()).anySatisfy(r -> {
      assertThat(r.tool()).isEqualTo("acme.customers");
      assertThat(r.extra().path("fromClaims").path("attributes").path("zones").toString())
          .isEqualTo("[\"eu-west\",null]");
    });
  }

  @Test
  void subAgentOfAnOidcAgentKeepsARoleItsTokenGaveAndLosesItWhenTheAgentIsRotated() throws Exception {
    String parent = token(roles("billing"));
    McpTestClient session = McpTestClient.stateful(gateway.mcpUrl()).header("Authorization", "Bearer " + parent);
    session.initialize();
    String sub = exchange(parent, "role:billing", "refunder");
    assertThat(text(call(sub, "acme.refund"))).isEqualTo("refund ok");
    try {
      // No declared version: the version is a hash of the agent's entry, so any edit of it rotates the agent.
      gateway.reload(policy.replace("roles_from_claim: [billing]", "roles_from_claim: [billing, admin]"));

      McpTestClient.Response oldSession = session.request("tools/list", null);
      McpTestClient.Response oldSubAgent = McpTestClient.stateless(gateway.mcpUrl())
          .header("Authorization", "Bearer " + sub).request("tools/list", null);

      assertThat(oldSession.status()).isEqualTo(404);
      assertThat(oldSubAgent.status()).isEqualTo(401);
      assertThat(oldSubAgent.error().path("data").path("reason").asText()).isEqualTo("STALE_VERSION");
      assertThat(text(call(token(roles("admin")), "acme.purge"))).isEqualTo("purge ok");
    } finally {
      gateway.reload(policy);
    }
  }

  @Test
  void badMappingInAReloadIsRefusedWithItsPosition() {
    String unknownRole = policy.replace("roles_from_claim: [billing]", "roles_from_claim: [biling]");
    String badPath = policy.replace("roles_claim: realm_access.roles", "roles_claim: realm_access..roles");

    assertThatThrownBy(() -> gateway.reload(unknownRole)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("policy.yaml:11:26")
        .hasMessageContaining("lets a token add role 'biling', which is not defined")
        .hasMessageContaining("did you mean 'billing'?");
    assertThatThrownBy(() -> gateway.reload(badPath)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("policy.yaml:10:20")
        .hasMessageContaining("empty segment");
    assertThat(text(call(token(roles("billing")), "acme.refund"))).isEqualTo("refund ok");
  }

  /** Exchanges {@code subjectToken} at the gateway's token endpoint for a sub-agent token. */
  private static String exchange(String subjectToken, String scope, String name) throws Exception {
    String form = "grant_type=" + enc(TokenExchangeHandler.GRANT_TYPE) + "&subject_token=" + enc(subjectToken)
        + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token") + "&scope=" + enc(scope)
        + "&agent_name=" + enc(name);
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.gateway().baseUri()
            .resolve("/oauth/token")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body()).path("access_token").asText();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
