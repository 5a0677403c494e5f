package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.call;
import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Problem;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Decision;
import dev.cel.common.values.NullValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each agent's {@code oidc:} maps a token's claims to the agent, to roles it may add, and to attributes. */
class OidcClaimMappingTest {
  private static final String IDP = "https://login.example.com/realms/agents";
  private static final Policy POLICY = PolicyLoader.fromText("claims.yaml", """
      version: 1
      upstreams:
        acme: { command: [demo] }
      agents:
        ops-bot:
          roles: [support]
          oidc:
            issuer: "%1$s"
            subject: ops-bot
            roles_claim: realm_access.roles
            roles_from_claim: [billing]
            attributes: { region: tenant.region, tier: tier }
        batch-bot:
          roles: [support]
          oidc: { issuer: "%1$s", subject: batch-client, subject_claim: azp, roles_claim: roles,
                  roles_from_claim: [auditing] }
      roles:
        support:
          grants:
            - { id: tickets, tools: [acme.tickets_read] }
            - { id: eu-customers, tools: [acme.crm_get], when: 'agent.attributes.region == "EU"' }
        billing:
          extends: [refunds-base]
          grants:
            - { id: refunds, tools: [acme.billing_refund] }
        refunds-base: {}
        auditing:
          grants:
            - { id: audit-read, tools: [acme.audit_read] }
        admin:
          grants:
            - { id: everything, tools: ["*"] }
      """.formatted(IDP));

  private static OidcMatch.Mapped mapped(Map<String, ?> claims) {
    OidcMatch match = POLICY.agentForOidc(IDP, claims, "jti-1");
    assertThat(match).isInstanceOf(OidcMatch.Mapped.class);
    return (OidcMatch.Mapped) match;
  }

  private static Decision decide(Agent agent, String tool) {
    return POLICY.decide(call(agent, tool, "{}"), tool(tool));
  }

  @Test
  void roleFromANestedClaimIsAddedWithWhatItExtendsAndGrantsItsTools() {
    OidcMatch.Mapped m = mapped(Map.of("sub", "ops-bot", "realm_access", Map.of("roles", List.of("billing"))));

    assertThat(m.agent().id()).isEqualTo("ops-bot");
    assertThat(m.agent().roles()).containsExactlyInAnyOrder("support", "billing", "refunds-base");
    assertThat(m.tokenRoles()).containsExactly("billing");
    assertThat(decide(m.agent(), "acme.billing_refund")).isInstanceOf(Decision.Allow.class);
  }

  @Test
  void withoutTheRoleInItsTokenTheSameAgentMayNotUseTheRolesTools() {
    OidcMatch.Mapped m = mapped(Map.of("sub", "ops-bot"));

    assertThat(m.agent().roles()).containsExactly("support");
    assertThat(decide(m.agent(), "acme.billing_refund")).isInstanceOf(Decision.Deny.class);
  }

  @Test
  void rolesTheAgentMayNotTakeFromATokenAreIgnoredNotAnError() {
    OidcMatch.Mapped m = mapped(Map.of("sub", "ops-bot",
        "realm_access", Map.of("roles", List.of("admin", "no-such-role", "billing"))));

    assertThat(m.agent().roles()).doesNotContain("admin", "no-such-role").contains("billing");
    assertThat(m.ignoredRoles()).containsExactly("admin", "no-such-role");
    assertThat(decide(m.agent(), "acme.anything")).isInstanceOf(Decision.Deny.class);
  }

  @Test
  void aRolesClaimMayBeASpaceSeparatedString() {
    OidcMatch.Mapped m = mapped(Map.of("azp", "batch-client", "sub", "3f1c", "roles", "auditing admin"));

    assertThat(m.agent().id()).isEqualTo("batch-bot");
    assertThat(m.tokenRoles()).containsExactly("auditing");
    assertThat(m.ignoredRoles()).containsExactly("admin");
  }

  @Test
  void subjectClaimMatchesClientCredentialsTokensOnTheirClientNotTheirSub() {
    assertThat(POLICY.agentForOidc(IDP, Map.of("sub", "batch-client"), "jti-1"))
        .isInstanceOf(OidcMatch.Unmapped.class);
    assertThat(POLICY.agentForOidc(IDP, Map.of("sub", "x", "azp", "batch-client"), "jti-1"))
        .isInstanceOfSatisfying(OidcMatch.Mapped.class, m -> assertThat(m.agent().id()).isEqualTo("batch-bot"));
  }

  @Test
  void aTokenMatchingTwoAgentsIsRefusedNamingBoth() {
    OidcMatch match = POLICY.agentForOidc(IDP, Map.of("sub", "ops-bot", "azp", "batch-client"), "jti-1");

    assertThat(match).isInstanceOfSatisfying(OidcMatch.Unmapped.class, u -> assertThat(u.message())
        .contains("'ops-bot'", "'batch-bot'", "one token must name one agent"));
  }

  @Test
  void unknownSubjectAndUnknownIssuerAreUnmapped() {
    assertThat(POLICY.agentForOidc(IDP, Map.of("sub", "stranger"), "jti-1"))
        .isInstanceOfSatisfying(OidcMatch.Unmapped.class, u -> assertThat(u.message()).contains("subject: stranger"));
    assertThat(POLICY.agentForOidc("https://elsewhere.example", Map.of("sub", "ops-bot"), "jti-1"))
        .isInstanceOf(OidcMatch.Unmapped.class);
  }

  @Test
  void attributeFromAClaimDrivesAConditionAndAMissingClaimDeniesNamingTheGrant() {
    OidcMatch.Mapped eu = mapped(Map.of("sub", "ops-bot", "tenant", Map.of("region", "EU"), "tier", 2));
    OidcMatch.Mapped us = mapped(Map.of("sub", "ops-bot", "tenant", Map.of("region", "US")));
    OidcMatch.Mapped none = mapped(Map.of("sub", "ops-bot"));

    assertThat(eu.agent().attributes()).containsEntry("region", "EU").containsEntry("tier", 2L);
    assertThat(eu.tokenAttributes()).containsOnlyKeys("region", "tier");
    assertThat(none.agent().attributes()).doesNotContainKey("region");
    assertThat(decide(eu.agent(), "acme.crm_get")).isInstanceOf(Decision.Allow.class);
    assertThat(decide(us.agent(), "acme.crm_get")).isInstanceOf(Decision.Deny.class);
    assertThat(decide(none.agent(), "acme.crm_get")).isInstanceOfSatisfying(Decision.Deny.class, d -> {
      assertThat(d.ruleId()).isEqualTo("eu-customers");
      assertThat(d.reason()).contains("agent.attributes.region");
    });
  }

  @Test
  void aNullInAListClaimStaysJsonNullInTheAttributeAndBecomesCelsNullOnlyWhenAConditionReadsIt() {
    OidcMatch.Mapped m = mapped(Map.of("sub", "ops-bot", "tier", Arrays.asList(2, null)));

    assertThat(m.tokenAttributes().get("tier")).isEqualTo(Arrays.asList(2L, null));
    assertThat(m.agent().attributes().get("tier")).isEqualTo(Arrays.asList(2L, null));
    assertThat(((Map<?, ?>) Activation.agentValue(m.agent()).get("attributes")).get("tier"))
        .isEqualTo(List.of(2L, NullValue.NULL_VALUE));
  }

  @Test
  void subAgentKeepsATokenRoleItsRootMayHoldButNoOther() {
    Agent sub = POLICY.subAgent("ops-bot", "ops-bot/helper", List.of("billing", "admin"),
        Map.of("region", "EU", "forged", "x"), List.of("ops-bot"), "jti-2").orElseThrow();

    assertThat(sub.roles()).containsExactlyInAnyOrder("billing", "refunds-base");
    assertThat(sub.attributes()).containsEntry("region", "EU").doesNotContainKey("forged");
    assertThat(decide(sub, "acme.billing_refund")).isInstanceOf(Decision.Allow.class);
    assertThat(decide(sub, "acme.tickets_read")).isInstanceOf(Decision.Deny.class);
  }

  @Test
  void explainAndDiffShowWhatATokenMayAdd() {
    String summary = PermissionSummary.render(POLICY, POLICY.agent("ops-bot", "explain").orElseThrow());
    Policy without = PolicyLoader.fromText("claims.yaml", """
        version: 1
        agents:
          ops-bot: { roles: [support], oidc: { issuer: "%s", subject: ops-bot } }
        roles:
          support: { grants: [ { id: tickets, tools: [acme.tickets_read] } ] }
          billing: { grants: [ { id: refunds, tools: [acme.billing_refund] } ] }
        """.formatted(IDP));

    assertThat(summary).contains("Roles your access token may add (claim realm_access.roles): billing",
        "Attributes from your access token: region (claim tenant.region), tier (claim tier)");
    assertThat(PolicyDiff.render(PolicyDiff.compare(without, POLICY))).contains(
        "+ roles a token may add (claim realm_access.roles): billing",
        "+ with a role from its token may use tools acme.billing_refund [refunds]",
        "+ attribute region from token claim tenant.region");
  }

  // ---- load errors, each with file:line:column ----

  private static List<Problem> errors(String oidc) {
    try {
      PolicyLoader.fromText("p.yaml", """
          version: 1
          agents:
            a:
              roles: [support]
              attributes: { team: blue }
              oidc:
          %s
          roles:
            support: {}
            billing: {}
          """.formatted(oidc.indent(6).stripTrailing()));
    } catch (PolicyException e) {
      return e.errors();
    }
    throw new AssertionError("expected the policy to be rejected");
  }

  @Test
  void aRoleATokenMayAddMustBeDefined() {
    List<Problem> errors = errors("""
        { issuer: "https://idp", subject: a, roles_claim: roles, roles_from_claim: [biling] }""");

    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.toString()).contains("p.yaml:7:83: error:");
      assertThat(p.message()).contains("lets a token add role 'biling', which is not defined");
      assertThat(p.hint()).contains("did you mean 'billing'?");
    });
  }

  @Test
  void badClaimPathsAreLoadErrorsAtTheValue() {
    List<Problem> errors = errors("""
        issuer: "https://idp"
        subject: a
        subject_claim: "client id"
        roles_claim: realm_access..roles
        roles_from_claim: [billing]
        attributes: { region: ".region" }""");

    assertThat(errors).extracting(p -> p.mark().line() + ":" + p.mark().column()).containsExactly(
        "9:22", "10:20", "12:29");
    assertThat(errors).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("contains white space"))
        .anySatisfy(m -> assertThat(m).contains("realm_access..roles", "empty segment"));
    assertThat(errors).allSatisfy(p -> assertThat(p.hint()).contains("realm_access.roles"));
  }

  @Test
  void rolesClaimAndItsAllowListComeTogether() {
    List<Problem> errors = errors("""
        { issuer: "https://idp", subject: a, roles_claim: roles }""");

    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.message()).contains("sets roles_claim but not roles_from_claim");
      assertThat(p.mark().line()).isEqualTo(7);
    });
  }

  @Test
  void anAttributeHasOneSourceAndUnknownKeysAreRefused() {
    List<Problem> errors = errors("""
        { issuer: "https://idp", subject: a, attributes: { team: groups }, role_claim: roles }""");

    assertThat(errors).extracting(Problem::message).anySatisfy(m -> assertThat(m)
        .contains("maps attribute 'team' from a claim, but the agent's attributes already set it"))
        .anySatisfy(m -> assertThat(m).contains("unknown key 'role_claim' in oidc of agent 'a'"));
    assertThat(errors).extracting(Problem::hint).contains("did you mean 'roles_claim'?");
  }
}
