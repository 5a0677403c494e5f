package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.identity.AuthResult.Authenticated;
import dev.portcullis.identity.AuthResult.Rejected;
import dev.portcullis.json.Json;
import dev.portcullis.token.SigningKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole delegation flow over HTTP: an orchestrator gets an access token from a real OIDC server, exchanges it at
 * the gateway's token endpoint (Jetty on port 0) for a narrower sub-agent token, and the gateway accepts that token.
 */
class TokenExchangeHandlerTest {
  static final String ISSUER = "https://portcullis.test";
  static final String RESOURCE = "https://portcullis.test/mcp";
  static final Map<String, Set<String>> POLICY_ROLES = Map.of("ops-bot", Set.of("billing", "support"));

  static MockIdp idp;
  static Server server;
  static URI endpoint;
  static BearerAuthenticator authenticator;
  static final List<String> audit = new ArrayList<>();
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    idp = new MockIdp();
    SigningKeys keys = SigningKeys.inMemory(SigningKeys.DEFAULT_OVERLAP, Clock.systemUTC());
    OidcValidator oidc = OidcValidator.builder(OidcAgentMapping.of(idp.issuer()), RESOURCE).build();
    var subAgents = new SubAgentTokenValidator(ISSUER, RESOURCE, keys, Duration.ofSeconds(5), Clock.systemUTC());
    authenticator = new BearerAuthenticator(Optional.of(subAgents), List.of(oidc));
    // What the gateway's authenticate step does: validate, then give the agent its roles from the policy file.
    java.util.function.Function<String, AuthResult> withPolicyRoles = token -> {
      AuthResult result = authenticator.authenticate(token);
      if (result instanceof Authenticated a && a.identity().actorChain().isEmpty()) {
        var id = a.identity();
        return new Authenticated(new AgentIdentity(id.issuer(), id.agentId(), "v1",
            POLICY_ROLES.getOrDefault(id.agentId(), Set.of()), id.attributes(), id.scopes(), id.actorChain(),
            id.tools(), id.credentialId(), id.expiresAt()));
      }
      return result;
    };
    var handler = new TokenExchangeHandler(new TokenExchange(ISSUER, RESOURCE, keys, Clock.systemUTC()),
        withPolicyRoles, (parent, outcome) -> audit.add(parent.agentId() + " -> " + outcome));
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/oauth/token");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    idp.close();
  }

  static String orchestratorToken() {
    return idp.token("ops-bot", List.of(RESOURCE), Map.of(), 600);
  }

  static Map<String, String> form(String subjectToken, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", TokenExchangeHandler.GRANT_TYPE);
    form.put("subject_token", subjectToken);
    form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
    if (scope != null) {
      form.put("scope", scope);
    }
    return form;
  }

  static HttpResponse<String> post(String body, String contentType, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(Map<String, String> form) throws Exception {
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return post(body, "application/x-www-form-urlencoded", endpoint);
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  @Test
  void orchestratorExchangesItsOidcTokenForANarrowerSubAgentToken() throws Exception {
    var form = form(orchestratorToken(), "role:support tool:acme.crm_*");
    form.put("agent_name", "researcher");
    form.put("resource", RESOURCE);

    HttpResponse<String> response = post(form);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode body = json(response);
    assertThat(body.path("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("scope").asText()).isEqualTo("role:support tool:acme.crm_*");
    assertThat(body.path("expires_in").asLong()).isBetween(290L, 300L);

    var subAgent = ((Authenticated) authenticator.authenticate(body.path("access_token").asText())).identity();
    assertThat(subAgent.agentId()).isEqualTo("ops-bot/researcher");
    assertThat(subAgent.actorChain()).containsExactly("ops-bot");
    assertThat(subAgent.roles()).containsExactly("support");
    assertThat(subAgent.tools()).contains(List.of("acme.crm_*"));
    assertThat(subAgent.version()).isEqualTo("v1");
    assertThat(audit).anyMatch(line -> line.startsWith("ops-bot -> Issued[ops-bot/researcher"));
  }

  @Test
  void subAgentCanDelegateOnlyWhatItHolds() throws Exception {
    String subToken = json(post(form(orchestratorToken(), "role:support tool:acme.crm_*"))).path("access_token")
        .asText();

    HttpResponse<String> wider = post(form(subToken, "role:billing"));
    assertThat(wider.statusCode()).isEqualTo(400);
    assertThat(json(wider).path("error").asText()).isEqualTo("invalid_scope");
    assertThat(json(wider).path("error_description").asText()).startsWith("role 'billing' is not held by ops-bot/sub-");

    HttpResponse<String> narrower = post(form(subToken, "tool:acme.crm_get"));
    assertThat(narrower.statusCode()).isEqualTo(200);
    var grandchild = ((Authenticated) authenticator.authenticate(json(narrower).path("access_token").asText()))
        .identity();
    assertThat(grandchild.actorChain()).hasSize(2).first().isEqualTo("ops-bot");
    assertThat(grandchild.tools()).contains(List.of("acme.crm_get"));
  }

  @Test
  void refusesASubAgentTokenForAnotherResource() throws Exception {
    var form = form(orchestratorToken(), null);
    form.put("audience", "https://files.internal/mcp");
    HttpResponse<String> response = post(form);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).isEqualTo("invalid_target");
  }

  @Test
  void refusesAnInvalidSubjectToken() throws Exception {
    String expired = idp.token("ops-bot", List.of(RESOURCE), Map.of(), -300);
    HttpResponse<String> response = post(form(expired, null));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).isEqualTo("invalid_request");
    assertThat(json(response).path("error_description").asText()).startsWith("subject_token: the bearer token"
        + " expired at");
  }

  @Test
  void refusesASubjectTokenFromAnUntrustedIssuer() throws Exception {
    String foreign = idp.token("elsewhere", "ops-bot", List.of(RESOURCE), Map.of(), 600);
    HttpResponse<String> response = post(form(foreign, null));
    assertThat(json(response).path("error_description").asText()).contains("which this gateway does not trust");
  }

  @Test
  void refusesOtherGrantTypes() throws Exception {
    var form = form(orchestratorToken(), null);
    form.put("grant_type", "client_credentials");
    HttpResponse<String> response = post(form);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void refusesAScopeTokenItDoesNotKnow() throws Exception {
    HttpResponse<String> response = post(form(orchestratorToken(), "admin"));
    assertThat(json(response).path("error").asText()).isEqualTo("invalid_scope");
    assertThat(json(response).path("error_description").asText())
        .isEqualTo("scope token 'admin' is neither role:<name> nor tool:<pattern>");
  }

  @Test
  void refusesMissingAndRepeatedParameters() throws Exception {
    var missing = form(orchestratorToken(), null);
    missing.remove("subject_token_type");
    assertThat(json(post(missing)).path("error_description").asText())
        .isEqualTo("subject_token and subject_token_type are required (RFC 8693 2.1)");

    String repeated = "grant_type=" + URLEncoder.encode(TokenExchangeHandler.GRANT_TYPE, StandardCharsets.UTF_8)
        + "&scope=role:support&scope=role:billing";
    assertThat(json(post(repeated, "application/x-www-form-urlencoded", endpoint)).path("error_description").asText())
        .isEqualTo("parameter scope is given more than once (RFC 6749 3.2)");
  }

  @Test
  void refusesParametersInTheUrlAndBodiesThatAreNotForms() throws Exception {
    HttpResponse<String> inUrl = post("", "application/x-www-form-urlencoded",
        URI.create(endpoint + "?subject_token=abc"));
    assertThat(inUrl.statusCode()).isEqualTo(400);
    assertThat(json(inUrl).path("error_description").asText()).startsWith("parameters belong in the request body");

    HttpResponse<String> asJson = post("{}", "application/json", endpoint);
    assertThat(asJson.statusCode()).isEqualTo(400);
    assertThat(json(asJson).path("error_description").asText())
        .isEqualTo("send the parameters as application/x-www-form-urlencoded, not application/json");
  }

  @Test
  void answersGetWith405() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void bearerAuthenticatorRejectsTokensOfUntrustedIssuers() {
    Rejected rejected = (Rejected) authenticator.authenticate(idp.token("elsewhere", "x", List.of(RESOURCE),
        Map.of(), 60));
    assertThat(rejected.reason()).isEqualTo(AuthResult.Reason.WRONG_ISSUER);
    assertThat(rejected.message()).endsWith("which this gateway does not trust (trusted: [" + idp.issuer() + ", "
        + ISSUER + "])");
  }
}
