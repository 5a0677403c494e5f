package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.SUNDAY_NIGHT_BERLIN;
import static dev.portcullis.policy.Fixtures.TUESDAY_10_BERLIN;
import static dev.portcullis.policy.Fixtures.agent;
import static dev.portcullis.policy.Fixtures.call;
import static dev.portcullis.policy.Fixtures.labels;
import static dev.portcullis.policy.Fixtures.session;
import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.Decision;
import dev.portcullis.model.Tool;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionTest {
  static final Policy POLICY = PolicyLoader.fromText("conditions.yaml", """
      version: 1
      tools:
        acme.crm_search: { labels: [private_data] }
        acme.tickets_read: { labels: [untrusted_content] }
        acme.mail_send: { labels: [external_egress] }
      agents:
        bot:
          roles: [worker]
          attributes: { region: EU }
      roles:
        worker:
          grants:
            - id: refunds
              tools: [acme.billing_refund]
              when: args.amount <= 100
            - id: internal-mail
              description: Mail only to colleagues.
              tools: [acme.mail_send]
              when: args.to.endsWith("@acme.example")
            - id: crm
              tools: [acme.crm_*, acme.tickets_read]
            - id: export-after-search
              tools: [acme.export_customers]
              when: '"acme.crm_search" in session.tools_called'
            - id: eu-only
              tools: [acme.region_report]
              when: args.region == agent.attributes.region && "worker" in agent.roles
            - id: read-only-tools
              tools: [other.*]
              when: tool.annotations.readOnlyHint == true
            - id: team-prompt
              prompts: [acme.summary]
              when: args.tone in ["formal", "neutral"]
            - id: reports
              resources: ["file:///reports/*"]
      rules:
        - id: deletes-in-business-hours
          description: Nothing is deleted outside Berlin business hours.
          effect: deny
          tools: ["acme.*delete*"]
          when: '!business_hours(now, "Europe/Berlin")'
        - id: no-egress-after-untrusted-private
          description: Private data and untrusted content were both read in this session; nothing may leave now.
          effect: deny
          tool_labels: [external_egress]
          when: '"private_data" in session.labels && "untrusted_content" in session.labels'
      """);

  static Decision decide(String toolName, String args) {
    return POLICY.decide(call(agent(POLICY, "bot"), toolName, args), tool(toolName));
  }

  @Test
  void optionalArgumentsAreGuardedWithHas() {
    Policy policy = PolicyLoader.fromText("has.yaml", """
        version: 1
        agents:
          bot: { roles: [worker] }
        roles:
          worker:
            grants:
              - id: mail
                tools: [acme.mail_send]
                when: '!has(args.cc) || args.cc.endsWith("@acme.example")'
        """);
    var bot = agent(policy, "bot");
    assertThat(policy.decide(call(bot, "acme.mail_send", "{}"), tool("acme.mail_send")))
        .isInstanceOf(Decision.Allow.class);
    assertThat(policy.decide(call(bot, "acme.mail_send", "{\"cc\": \"ana@acme.example\"}"), tool("acme.mail_send")))
        .isInstanceOf(Decision.Allow.class);
    assertThat(policy.decide(call(bot, "acme.mail_send", "{\"cc\": \"eve@evil.example\"}"), tool("acme.mail_send")))
        .isInstanceOf(Decision.Deny.class);
  }

  @Test
  void refundConditionAllowsSmallAndDeniesLargeAmounts() {
    assertThat(decide("acme.billing_refund", "{\"amount\": 100}")).isInstanceOf(Decision.Allow.class);
    Decision d = decide("acme.billing_refund", "{\"amount\": 100.5}");
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.ruleId()).isEqualTo("refunds");
    assertThat(d.reason()).isEqualTo("grant refunds allows acme.billing_refund only when args.amount <= 100, which "
        + "does not hold for this call");
  }

  @Test
  void mailOnlyToTheCompanyDomain() {
    assertThat(decide("acme.mail_send", "{\"to\": \"ana@acme.example\"}")).isInstanceOf(Decision.Allow.class);
    Decision d = decide("acme.mail_send", "{\"to\": \"eve@evil.example\"}");
    assertThat(d.ruleId()).isEqualTo("internal-mail");
    assertThat(((Decision.Deny) d).hint()).contains("Mail only to colleagues.");
  }

  @Test
  void deletesOnlyDuringBusinessHours() {
    var bot = agent(POLICY, "bot");
    Tool delete = tool("acme.crm_delete");
    assertThat(POLICY.decide(call(bot, "acme.crm_delete", "{}", session(), TUESDAY_10_BERLIN), delete))
        .isInstanceOf(Decision.Allow.class);
    Decision night = POLICY.decide(call(bot, "acme.crm_delete", "{}", session(), SUNDAY_NIGHT_BERLIN), delete);
    assertThat(night).isInstanceOf(Decision.Deny.class);
    assertThat(night.ruleId()).isEqualTo("deletes-in-business-hours");
    assertThat(night.reason()).contains("Nothing is deleted outside Berlin business hours.");
  }

  @Test
  void aToolOnlyAfterAnotherToolInTheSession() {
    var bot = agent(POLICY, "bot");
    Tool export = tool("acme.export_customers");
    assertThat(POLICY.decide(call(bot, "acme.export_customers", "{}", session("acme.crm_search"), TUESDAY_10_BERLIN), export))
        .isInstanceOf(Decision.Allow.class);
    assertThat(POLICY.decide(call(bot, "acme.export_customers", "{}", session("acme.crm_get"), TUESDAY_10_BERLIN), export))
        .isInstanceOf(Decision.Deny.class);
  }

  @Test
  void conditionsSeeAgentAttributesAndRoles() {
    assertThat(decide("acme.region_report", "{\"region\": \"EU\"}")).isInstanceOf(Decision.Allow.class);
    assertThat(decide("acme.region_report", "{\"region\": \"US\"}")).isInstanceOf(Decision.Deny.class);
  }

  @Test
  void conditionsSeeToolAnnotations() {
    var bot = agent(POLICY, "bot");
    Tool readOnly = tool("other.list", "{\"type\":\"object\"}");
    readOnly.definition().set("annotations", Fixtures.json("{\"readOnlyHint\": true}"));
    Tool writing = tool("other.write", "{\"type\":\"object\"}");
    writing.definition().set("annotations", Fixtures.json("{\"readOnlyHint\": false}"));
    assertThat(POLICY.decide(call(bot, "other.list", "{}"), readOnly)).isInstanceOf(Decision.Allow.class);
    assertThat(POLICY.decide(call(bot, "other.write", "{}"), writing)).isInstanceOf(Decision.Deny.class);
  }

  @Test
  void aConditionThatCannotBeEvaluatedDeniesNamingTheRuleAndExpression() {
    Decision d = decide("acme.mail_send", "{\"subject\": \"hi\"}");
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.ruleId()).isEqualTo("internal-mail");
    assertThat(d.reason()).contains("args.to.endsWith(\"@acme.example\")", "could not be evaluated", "'to'");
    Decision wrongType = decide("acme.billing_refund", "{\"amount\": \"lots\"}");
    assertThat(wrongType).isInstanceOf(Decision.Deny.class);
    assertThat(wrongType.reason()).contains("could not be evaluated");
  }

  @Test
  void flowRuleDeniesEgressOnceBothPrivateDataAndUntrustedContentWereRead() {
    var bot = agent(POLICY, "bot");
    Tool mail = tool("acme.mail_send");
    String args = "{\"to\": \"ana@acme.example\"}";
    assertThat(POLICY.decide(call(bot, "acme.mail_send", args, labels("private_data"), TUESDAY_10_BERLIN), mail))
        .isInstanceOf(Decision.Allow.class);
    Decision d = POLICY.decide(call(bot, "acme.mail_send", args,
        labels("private_data", "untrusted_content"), TUESDAY_10_BERLIN), mail);
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(d.ruleId()).isEqualTo("no-egress-after-untrusted-private");
    assertThat(((Decision.Deny) d).hint()).contains("flow-rules.md");
  }

  @Test
  void flowRuleFollowsLabelsTheCatalogPutsOnTheTool() {
    var bot = agent(POLICY, "bot");
    Tool labelled = tool("acme.crm_notify", "{\"type\":\"object\"}", Set.of("external_egress"));
    assertThat(POLICY.decide(call(bot, "acme.crm_notify", "{}", labels("private_data", "untrusted_content"),
        TUESDAY_10_BERLIN), labelled)).isInstanceOf(Decision.Deny.class);
    assertThat(POLICY.decide(call(bot, "acme.crm_notify", "{}", labels("private_data"), TUESDAY_10_BERLIN), labelled))
        .isInstanceOf(Decision.Allow.class);
  }

  @Test
  void sessionLabelsOfAToolJoinPolicyAndCatalogLabels() {
    assertThat(POLICY.labels(tool("acme.crm_search"))).containsExactly("private_data");
    assertThat(POLICY.labels(tool("acme.crm_search", "{}", Set.of("finance")))).containsExactlyInAnyOrder(
        "private_data", "finance");
    assertThat(POLICY.labels(tool("acme.other"))).isEmpty();
  }

  @Test
  void conditionalDenyDoesNotHideAToolFromTheList() {
    assertThat(POLICY.visible(agent(POLICY, "bot"), tool("acme.mail_send"))).isTrue();
    assertThat(POLICY.visible(agent(POLICY, "bot"), tool("acme.billing_refund"))).isTrue();
  }

  @Test
  void promptsAndResourcesAreDecidedByTheirOwnPatterns() {
    var bot = agent(POLICY, "bot");
    assertThat(POLICY.decidePrompt(call(bot, "acme.summary", "{\"tone\": \"formal\"}")))
        .isInstanceOf(Decision.Allow.class);
    assertThat(POLICY.decidePrompt(call(bot, "acme.summary", "{\"tone\": \"angry\"}"))).isInstanceOf(Decision.Deny.class);
    assertThat(POLICY.decidePrompt(call(bot, "acme.other", "{}")).ruleId()).isEqualTo("default-deny");
    assertThat(POLICY.decideResource(call(bot, "file:///reports/q1.csv", "{}"))).isInstanceOf(Decision.Allow.class);
    assertThat(POLICY.decideResource(call(bot, "file:///etc/passwd", "{}")).ruleId()).isEqualTo("default-deny");
    assertThat(POLICY.visiblePrompt(bot, "acme.summary")).isTrue();
    assertThat(POLICY.visibleResource(bot, "file:///etc/passwd")).isFalse();
    assertThat(POLICY.visible(bot, tool("acme.summary"))).isFalse();
  }
}
