package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.identity.AuthResult.Authenticated;
import dev.portcullis.identity.TokenExchange.Issued;
import dev.portcullis.identity.TokenExchange.Refused;
import dev.portcullis.identity.TokenExchange.Request;
import dev.portcullis.testing.MutableClock;
import dev.portcullis.token.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenExchangeTest {
  static final String ISSUER = "https://portcullis.test";
  static final String RESOURCE = "https://portcullis.test/mcp";
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));
  final SigningKeys keys = SigningKeys.inMemory(SigningKeys.DEFAULT_OVERLAP, clock);
  final TokenExchange exchange = new TokenExchange(ISSUER, RESOURCE, keys, clock);
  final SubAgentTokenValidator validator =
      new SubAgentTokenValidator(ISSUER, RESOURCE, keys, Duration.ofSeconds(5), clock);

  AgentIdentity parent(Set<String> roles, Optional<List<String>> tools, Duration expiresIn) {
    return new AgentIdentity("https://idp.test", "ops-bot", "v3", roles, Map.of("region", "EU"),
        Set.of("mcp:tools"), List.of(), tools, "oidc:abc", clock.instant().plus(expiresIn));
  }

  final AgentIdentity parent = parent(Set.of("support", "billing"), Optional.empty(), Duration.ofHours(1));

  static Request ask(Set<String> roles, List<String> tools, Duration lifetime) {
    return new Request(Optional.of("researcher"), Optional.ofNullable(roles), Optional.ofNullable(tools),
        Optional.ofNullable(lifetime), Optional.empty());
  }

  static Refused refused(TokenExchange.Outcome outcome) {
    assertThat(outcome).isInstanceOf(Refused.class);
    return (Refused) outcome;
  }

  @Test
  void issuesSubAgentTokenWithASubsetOfTheParentsRoles() {
    var issued = (Issued) exchange.exchange(parent, ask(Set.of("support"), List.of("acme.crm_*"), null));

    assertThat(issued.scope()).isEqualTo("role:support tool:acme.crm_*");
    assertThat(issued.expiresIn()).isEqualTo(300);
    var back = (Authenticated) validator.validate(issued.accessToken());
    AgentIdentity sub = back.identity();
    assertThat(sub.agentId()).isEqualTo("ops-bot/researcher");
    assertThat(sub.actorChain()).containsExactly("ops-bot");
    assertThat(sub.roles()).containsExactly("support");
    assertThat(sub.tools()).contains(List.of("acme.crm_*"));
    assertThat(sub.attributes()).containsEntry("region", "EU");
    assertThat(sub.version()).isEqualTo("v3");
    assertThat(sub.credentialId()).as("a sub-agent shares its task's state").isEqualTo(parent.credentialId());
    assertThat(sub).isEqualTo(issued.subAgent());
  }

  @Test
  void inheritsEverythingWhenNothingIsNarrowed() {
    var issued = (Issued) exchange.exchange(parent, Request.inherit());
    assertThat(issued.subAgent().roles()).containsExactlyInAnyOrder("support", "billing");
    assertThat(issued.subAgent().tools()).isEmpty();
    assertThat(issued.subAgent().agentId()).matches("ops-bot/sub-[0-9a-f]{8}");
  }

  @Test
  void refusesARoleTheParentDoesNotHold() {
    Refused refused = refused(exchange.exchange(parent, ask(Set.of("support", "admin"), null, null)));
    assertThat(refused.error()).isEqualTo("invalid_scope");
    assertThat(refused.description()).isEqualTo("role 'admin' is not held by ops-bot (it holds [billing, support]);"
        + " a sub-agent can only get a subset");
  }

  @Test
  void refusesToolsBeyondTheParentsOwnLimit() {
    AgentIdentity limited = parent(Set.of("support"), Optional.of(List.of("acme.crm_*")), Duration.ofHours(1));

    Refused refused = refused(exchange.exchange(limited, ask(null, List.of("acme.*"), null)));
    assertThat(refused.error()).isEqualTo("invalid_scope");
    assertThat(refused.description()).isEqualTo("tool pattern 'acme.*' reaches beyond what ops-bot may use"
        + " ([acme.crm_*]); a sub-agent can only get a subset");

    assertThat(exchange.exchange(limited, ask(null, List.of("acme.crm_get", "acme.crm_s*"), null)))
        .isInstanceOf(Issued.class);
  }

  @Test
  void refusesAMalformedToolPattern() {
    Refused refused = refused(exchange.exchange(parent, ask(null, List.of("acme.*.delete"), null)));
    assertThat(refused.error()).isEqualTo("invalid_scope");
    assertThat(refused.description()).startsWith("tool pattern 'acme.*.delete' is not a tool name or a prefix");
  }

  @Test
  void refusesALifetimeThatOutlastsTheParent() {
    AgentIdentity shortLived = parent(Set.of("support"), Optional.empty(), Duration.ofSeconds(90));
    Refused refused = refused(exchange.exchange(shortLived, ask(null, null, Duration.ofMinutes(10))));
    assertThat(refused.error()).isEqualTo("invalid_request");
    assertThat(refused.description()).isEqualTo("a lifetime of 600 s outlasts the subject token of ops-bot, which"
        + " expires in 90 s");
  }

  @Test
  void defaultLifetimeStopsWhenTheParentExpires() {
    AgentIdentity shortLived = parent(Set.of("support"), Optional.empty(), Duration.ofSeconds(90));
    var issued = (Issued) exchange.exchange(shortLived, Request.inherit());
    assertThat(issued.subAgent().expiresAt()).isEqualTo(shortLived.expiresAt());
  }

  @Test
  void refusesALifetimeAboveTheMaximum() {
    Refused refused = refused(exchange.exchange(parent, ask(null, null, Duration.ofMinutes(30))));
    assertThat(refused.description()).isEqualTo("a lifetime of 1800 s is outside 1 to 900 s");
  }

  @Test
  void refusesAnotherAudience() {
    var request = new Request(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("https://files.internal/mcp"));
    Refused refused = refused(exchange.exchange(parent, request));
    assertThat(refused.error()).isEqualTo("invalid_target");
    assertThat(refused.description()).isEqualTo("sub-agent tokens are only issued for this gateway (" + RESOURCE
        + "), not for https://files.internal/mcp");
  }

  @Test
  void refusesAnExpiredParent() {
    AgentIdentity expired = parent(Set.of("support"), Optional.empty(), Duration.ofSeconds(-1));
    assertThat(refused(exchange.exchange(expired, Request.inherit())).description())
        .isEqualTo("the subject token of ops-bot has expired");
  }

  @Test
  void subAgentsCanDelegateFurtherButNotBeyondTheMaximumDepth() {
    AgentIdentity current = parent;
    for (int depth = 1; depth <= TokenExchange.MAX_DEPTH; depth++) {
      current = ((Issued) exchange.exchange(current, Request.inherit())).subAgent();
      assertThat(current.actorChain()).hasSize(depth);
    }
    assertThat(current.credentialId()).as("every level works for the root agent's task").isEqualTo(parent.credentialId());
    Refused refused = refused(exchange.exchange(current, Request.inherit()));
    assertThat(refused.description()).endsWith("is already 4 delegations deep; at most 4 are allowed");
  }

  @Test
  void refusesAnUnsafeSubAgentName() {
    var request = new Request(Optional.of("../admin"), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
    assertThat(refused(exchange.exchange(parent, request)).description())
        .startsWith("sub-agent name '../admin' must be 1-64 letters, digits");
  }

  @Test
  void neverPrintsTheIssuedToken() {
    var issued = (Issued) exchange.exchange(parent, Request.inherit());
    assertThat(issued.toString()).doesNotContain(issued.accessToken());
  }
}
