package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.agent;
import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionSummaryTest {
  static final Policy QUICKSTART = PolicyLoader.load(
      Path.of(System.getProperty("portcullis.repo", "..")).resolve("examples/quickstart.yaml"));

  static final List<Tool> CATALOG = List.of(tool("acme.crm_search"), tool("acme.crm_get"), tool("acme.crm_delete"),
      tool("acme.tickets_read"), tool("acme.mail_send", "{\"type\":\"object\"}", Set.of("external_egress")),
      tool("acme.billing_refund"), tool("acme.files_read"), tool("acme.files_write"), tool("acme.files_list"),
      tool("acme.debug_crash"));

  @Test
  void summarizesWhatSupportBotMayDoWithLimitsInPlainWords() {
    String text = PermissionSummary.render(QUICKSTART, agent(QUICKSTART, "support-bot"));
    assertThat(text).contains("You are agent \"support-bot\"", "Roles: support.")
        .contains("- call acme.crm_search, acme.crm_get (results: only rows where item.region == "
            + "agent.attributes.region; fields card_number, ssn redacted)")
        .contains("- call acme.mail_send only with args.to.endsWith(\"@acme.example\")")
        .contains("tools labelled external_egress (acme.mail_send) when \"private_data\" in session.labels")
        .contains("Budget: 200 calls per session, 5.00 USD per session, at most 60 per minute.")
        .doesNotContain("billing_refund");
  }

  @Test
  void summarizesApprovalsDryRunsAndDeniesForOpsBot() {
    String text = PermissionSummary.render(QUICKSTART, agent(QUICKSTART, "ops-bot"), Optional.of(CATALOG));
    assertThat(text).contains("- call acme.billing_refund only with amount ≤ 100 — Refunds up to 100 USD.")
        .contains("These need a human's approval")
        .contains("- call acme.billing_refund only with amount > 100 (approvers: finance)")
        .contains("These run as a dry run")
        .contains("- acme.crm_delete when !business_hours(now, \"Europe/Berlin\")")
        .doesNotContain("debug_crash");
  }

  @Test
  void unknownAgentGetsAClearSummary() {
    var stranger = new dev.portcullis.model.Agent("ghost", "", Set.of(), java.util.Map.of(), List.of(), "c");
    assertThat(PermissionSummary.render(QUICKSTART, stranger)).contains("not defined", "every call is denied");
  }
}
