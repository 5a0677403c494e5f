package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import dev.portcullis.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtectedResourceMetadataTest {
  final ProtectedResourceMetadata metadata = new ProtectedResourceMetadata("https://gw.example/mcp",
      List.of("https://idp.example/realms/agents"), List.of("mcp:tools"), Optional.of("Portcullis"));

  @Test
  void servesTheDocumentAtTheWellKnownPathBeforeTheResourcePath() {
    assertThat(metadata.wellKnownPath()).isEqualTo("/.well-known/oauth-protected-resource/mcp");
    assertThat(metadata.metadataUrl()).isEqualTo("https://gw.example/.well-known/oauth-protected-resource/mcp");
    var root = new ProtectedResourceMetadata("https://gw.example/", List.of(), List.of(), Optional.empty());
    assertThat(root.wellKnownPath()).isEqualTo("/.well-known/oauth-protected-resource");
  }

  @Test
  void documentNamesResourceServersMethodsAndScopes() throws Exception {
    var doc = Json.MAPPER.readTree(metadata.json());
    assertThat(doc.path("resource").asText()).isEqualTo("https://gw.example/mcp");
    assertThat(doc.path("authorization_servers").get(0).asText()).isEqualTo("https://idp.example/realms/agents");
    assertThat(doc.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
    assertThat(doc.path("scopes_supported").toString()).isEqualTo("[\"mcp:tools\"]");
    assertThat(doc.path("resource_name").asText()).isEqualTo("Portcullis");
  }

  @Test
  void challengesAMissingTokenWithoutAnError() {
    assertThat(metadata.challenge(new Rejected(Reason.MISSING_TOKEN, "no bearer token")))
        .isEqualTo("Bearer resource_metadata=\"https://gw.example/.well-known/oauth-protected-resource/mcp\"");
  }

  @Test
  void challengesABadTokenWithInvalidTokenAndASafeDescription() {
    var rejected = new Rejected(Reason.EXPIRED, "token \"x\" expired\\ at 12:00 \u2014 get a new one");
    assertThat(metadata.challenge(rejected)).isEqualTo("Bearer resource_metadata=\"https://gw.example/.well-known/"
        + "oauth-protected-resource/mcp\", error=\"invalid_token\", error_description=\"token 'x' expired/ at 12:00"
        + " ? get a new one\"");
  }

  @Test
  void challengesAMissingScopeWithInsufficientScopeAndTheScopes() {
    var rejected = new Rejected(Reason.INSUFFICIENT_SCOPE, "needs mcp:tools");
    assertThat(rejected.status()).isEqualTo(403);
    assertThat(metadata.challenge(rejected)).endsWith(", error=\"insufficient_scope\","
        + " error_description=\"needs mcp:tools\", scope=\"mcp:tools\"");
  }

  @Test
  void refusesAResourceThatIsNotAnAbsoluteUri() {
    assertThatThrownBy(() -> new ProtectedResourceMetadata("/mcp", List.of(), List.of(), Optional.empty()))
        .hasMessageStartingWith("resource /mcp must be an absolute http(s) URI without a fragment");
  }
}
