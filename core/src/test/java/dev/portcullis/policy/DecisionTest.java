package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.agent;
import static dev.portcullis.policy.Fixtures.call;
import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.Decision;
import org.junit.jupiter.api.Test;

class DecisionTest {
  static final Policy POLICY = PolicyLoader.fromText("decisions.yaml", """
      version: 1
      upstreams:
        acme: { command: [demo] }
      agents:
        reader: { roles: [support] }
        ops: { roles: [billing] }
        nobody: { roles: [] }
      roles:
        support:
          grants:
            - id: read-crm
              description: Look up customers.
              tools: [acme.crm_*]
            - id: no-crm-delete
              effect: deny
              tools: [acme.crm_delete]
              hint: deleting customers is for humans
        billing:
          extends: [support]
          grants:
            - id: small-refunds
              tools: [acme.billing_refund]
              args: { amount: { maximum: 100 } }
            - id: large-refunds
              effect: require_approval
              tools: [acme.billing_refund]
              args: { amount: { exclusiveMinimum: 100, maximum: 5000 } }
            - id: rehearse-mail
              effect: dry_run
              tools: [acme.mail_send]
            - id: reports-only
              tools: [acme.files_read]
              args: { path: { pattern: "^/reports/" } }
      """);

  @Test
  void allowsAToolAGrantCovers() {
    Decision d = POLICY.decide(call(agent(POLICY, "reader"), "acme.crm_search", "{}"), tool("acme.crm_search"));
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(d.ruleId()).isEqualTo("read-crm");
    assertThat(d.reason()).contains("Look up customers.");
  }

  @Test
  void deniesByDefaultAndNamesWhatTheAgentMayUseInstead() {
    Decision d = POLICY.decide(call(agent(POLICY, "reader"), "acme.billing_refund", "{\"amount\": 5}"),
        tool("acme.billing_refund"));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.ruleId()).isEqualTo("default-deny");
    assertThat(d.reason()).contains("reader", "acme.billing_refund", "support");
    assertThat(((Decision.Deny) d).hint()).contains("acme.crm_*");
  }

  @Test
  void agentWithoutRolesIsDeniedEverything() {
    Decision d = POLICY.decide(call(agent(POLICY, "nobody"), "acme.crm_search", "{}"), tool("acme.crm_search"));
    assertThat(d.ruleId()).isEqualTo("default-deny");
    assertThat(((Decision.Deny) d).hint()).contains("no grant");
  }

  @Test
  void denyWinsOverAnAllowCoveringTheSameTool() {
    Decision d = POLICY.decide(call(agent(POLICY, "reader"), "acme.crm_delete", "{}"), tool("acme.crm_delete"));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.ruleId()).isEqualTo("no-crm-delete");
    assertThat(((Decision.Deny) d).hint()).contains("deleting customers is for humans");
  }

  @Test
  void inheritedGrantsApplyThroughExtends() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.crm_get", "{}"), tool("acme.crm_get"));
    assertThat(d.ruleId()).isEqualTo("read-crm");
    assertThat(POLICY.agents().get("ops").effectiveRoles()).containsExactlyInAnyOrder("billing", "support");
  }

  @Test
  void tighteningAllowsValuesWithinTheLimit() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.billing_refund", "{\"amount\": 100}"),
        tool("acme.billing_refund"));
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(d.ruleId()).isEqualTo("small-refunds");
  }

  @Test
  void aboveTheTighteningAnotherGrantAsksForApproval() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.billing_refund", "{\"amount\": 150}"),
        tool("acme.billing_refund"));
    assertThat(d).isInstanceOf(Decision.NeedsApproval.class);
    assertThat(d.ruleId()).isEqualTo("large-refunds");
    assertThat(POLICY.approval("large-refunds")).isPresent();
  }

  @Test
  void aValueNoGrantAdmitsIsDeniedNamingTheGrantTheConstraintAndTheValue() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.billing_refund", "{\"amount\": 9000}"),
        tool("acme.billing_refund"));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.ruleId()).isEqualTo("small-refunds");
    assertThat(d.reason()).isEqualTo("acme.billing_refund amount 9000 exceeds maximum 100 of grant small-refunds");
    assertThat(((Decision.Deny) d).hint()).startsWith("amount up to 100 is allowed; under grant large-refunds: "
        + "amount up to 5000 is allowed (with a human's approval)");
  }

  @Test
  void aNumberSentAsTextDoesNotSlipPastANumericLimit() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.billing_refund", "{\"amount\": \"50\"}"),
        tool("acme.billing_refund"));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.reason()).contains("\"50\"", "is not a number");
  }

  @Test
  void aMissingConstrainedArgumentDoesNotMatchTheGrant() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.files_read", "{}"), tool("acme.files_read"));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.reason()).contains("path", "missing");
  }

  @Test
  void patternTighteningAllowsMatchingAndRefusesOtherPaths() {
    assertThat(POLICY.decide(call(agent(POLICY, "ops"), "acme.files_read", "{\"path\": \"/reports/q1.csv\"}"),
        tool("acme.files_read"))).isInstanceOf(Decision.Allow.class);
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.files_read", "{\"path\": \"/etc/passwd\"}"),
        tool("acme.files_read"));
    assertThat(d.reason()).contains("\"/etc/passwd\" does not match ^/reports/");
  }

  @Test
  void dryRunGrantAnswersWithADryRun() {
    Decision d = POLICY.decide(call(agent(POLICY, "ops"), "acme.mail_send", "{}"), tool("acme.mail_send"));
    assertThat(d).isInstanceOf(Decision.DryRun.class);
    assertThat(d.ruleId()).isEqualTo("rehearse-mail");
  }

  @Test
  void visibilityFollowsGrantsAndUnconditionalDenies() {
    var reader = agent(POLICY, "reader");
    assertThat(POLICY.visible(reader, tool("acme.crm_search"))).isTrue();
    assertThat(POLICY.visible(reader, tool("acme.crm_delete"))).isFalse();
    assertThat(POLICY.visible(reader, tool("acme.billing_refund"))).isFalse();
    assertThat(POLICY.visible(agent(POLICY, "ops"), tool("acme.billing_refund"))).isTrue();
  }

  @Test
  void unknownAgentIsDenied() {
    var stranger = new dev.portcullis.model.Agent("stranger", "", java.util.Set.of("support"), java.util.Map.of(),
        java.util.List.of(), "c");
    Decision d = POLICY.decide(call(stranger, "acme.crm_search", "{}"), tool("acme.crm_search"));
    assertThat(d.ruleId()).isEqualTo("unknown-agent");
    assertThat(POLICY.visible(stranger, tool("acme.crm_search"))).isFalse();
  }

  @Test
  void anAgentObjectClaimingExtraRolesGetsOnlyItsDeclaredOnes() {
    var forged = new dev.portcullis.model.Agent("reader", "", java.util.Set.of("support", "billing"),
        java.util.Map.of(), java.util.List.of(), "c");
    Decision d = POLICY.decide(call(forged, "acme.billing_refund", "{\"amount\": 1}"), tool("acme.billing_refund"));
    assertThat(d.ruleId()).isEqualTo("default-deny");
  }
}
