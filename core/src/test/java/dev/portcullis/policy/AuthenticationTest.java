package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.keys.ApiKeys;
import dev.portcullis.model.Agent;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationTest {
  static final ApiKeys.NewKey KEY = ApiKeys.create("ops-bot");
  static final Policy POLICY = PolicyLoader.fromText("auth.yaml", """
      version: 1
      agents:
        ops-bot:
          roles: [billing]
          keys: [ %s ]
          attributes: { region: EU, tier: 2 }
          oidc: { issuer: "http://127.0.0.1:8081/default", subject: ops }
      roles:
        support: {}
        billing: { extends: [support] }
      """.formatted(KEY.yamlEntry()));

  @Test
  void presentedKeyAuthenticatesItsAgentWithTheKeyIdAsCredential() {
    Agent agent = POLICY.authenticate(KEY.plaintext()).orElseThrow();
    assertThat(agent.id()).isEqualTo("ops-bot");
    assertThat(agent.credentialId()).isEqualTo(KEY.keyId());
    assertThat(agent.roles()).containsExactlyInAnyOrder("billing", "support");
    assertThat(agent.attributes()).containsEntry("region", "EU").containsEntry("tier", 2L);
    assertThat(agent.version()).isNotEmpty();
  }

  @Test
  void wrongSecretUnknownIdAndGarbageAreRefused() {
    String key = KEY.plaintext();
    char last = key.charAt(key.length() - 1);
    assertThat(POLICY.authenticate(key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
    assertThat(POLICY.authenticate("pcl_kunknown_" + "x".repeat(43))).isEmpty();
    assertThat(POLICY.authenticate("not a key")).isEmpty();
    assertThat(POLICY.authenticate("")).isEmpty();
    assertThat(POLICY.authenticate(null)).isEmpty();
  }

  @Test
  void oidcIdentityMapsToItsAgent() {
    assertThat(POLICY.agentForOidc("http://127.0.0.1:8081/default", "ops", "jti-1")).get()
        .extracting(Agent::id, Agent::credentialId).containsExactly("ops-bot", "jti-1");
    assertThat(POLICY.agentForOidc("http://127.0.0.1:8081/default", "other", "jti-1")).isEmpty();
  }

  @Test
  void subAgentIsDecidedAsItsRootAgentNarrowedToItsOwnRoles() {
    Policy policy = PolicyLoader.fromText("sub.yaml", """
        version: 1
        agents:
          ops-bot: { roles: [billing] }
        roles:
          support: { grants: [ { id: read, tools: [acme.crm_get] } ] }
          billing: { extends: [support], grants: [ { id: refund, tools: [acme.billing_refund] } ] }
        """);
    Agent researcher = new Agent("ops-bot/researcher", "", java.util.Set.of("support"), java.util.Map.of(),
        List.of("ops-bot"), "exchange:1");
    Agent claimsMore = new Agent("ops-bot/greedy", "", java.util.Set.of("support", "admin"), java.util.Map.of(),
        List.of("ops-bot"), "exchange:2");
    Agent orphan = new Agent("nobody/researcher", "", java.util.Set.of("support"), java.util.Map.of(),
        List.of("nobody"), "exchange:3");

    assertThat(policy.visible(researcher, Fixtures.tool("acme.crm_get"))).isTrue();
    assertThat(policy.visible(researcher, Fixtures.tool("acme.billing_refund"))).isFalse();
    assertThat(policy.visible(claimsMore, Fixtures.tool("acme.billing_refund"))).isFalse();
    assertThat(policy.visible(orphan, Fixtures.tool("acme.crm_get"))).isFalse();
  }

  @Test
  void subAgentGetsOnlyRolesTheParentHolds() {
    Agent parent = POLICY.authenticate(KEY.plaintext()).orElseThrow();
    Agent child = POLICY.attenuate(parent, List.of("support"), "child-1");
    assertThat(child.roles()).containsExactly("support");
    assertThat(child.actorChain()).containsExactly("ops-bot");
    assertThatThrownBy(() -> POLICY.attenuate(child, List.of("billing"), "grandchild"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agent 'ops-bot' cannot delegate role 'billing': it holds only support");
  }
}
