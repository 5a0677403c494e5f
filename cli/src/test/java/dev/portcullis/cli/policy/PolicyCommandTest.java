package dev.portcullis.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
  static final Path EXAMPLES = Path.of(System.getProperty("portcullis.repo", "..")).resolve("examples");

  @TempDir
  Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PolicyCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void checkAcceptsTheQuickstart() {
    Run r = run("check", EXAMPLES.resolve("quickstart.yaml").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("quickstart.yaml: OK (2 agents, 1 upstreams");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void checkPrintsEveryErrorWithPositionAndFails() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        version: 1
        agents:
          a: { rols: [x] }
          b: { roles: [suport] }
        roles:
          support: {}
        """);
    Run r = run("check", bad.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("bad.yaml:3:8: error: unknown key 'rols' in agent 'a'", "did you mean 'roles'?",
        "bad.yaml:4:8: error: agent 'b' holds role 'suport'", "2 errors");
  }

  @Test
  void checkPrintsWarningsAndStrictTurnsThemIntoFailure() throws Exception {
    Path warn = dir.resolve("warn.yaml");
    Files.writeString(warn, "version: 1\nroles:\n  unused: {}\n");
    Run lenient = run("check", warn.toString());
    assertThat(lenient.status()).isZero();
    assertThat(lenient.err()).contains("warning: role 'unused' is not held by any agent");
    assertThat(run("check", "--strict", warn.toString()).status()).isEqualTo(1);
  }

  @Test
  void testRunsTheQuickstartTests() {
    Run r = run("test", EXAMPLES.resolve("quickstart.tests.yaml").toString());
    assertThat(r.status()).as(r.out()).isZero();
    assertThat(r.out()).contains("PASS: ").doesNotContain("FAIL");
  }

  @Test
  void testFailsWithADiffWhenACaseDoesNotHold() throws Exception {
    Path tests = dir.resolve("q.tests.yaml");
    Files.writeString(tests, """
        policy: %s
        tests:
          - name: support-bot refunds (it may not)
            agent: support-bot
            tool: acme.billing_refund
            arguments: { amount: 5 }
            expect: { effect: allow, rule: small-refunds }
        """.formatted(EXAMPLES.resolve("quickstart.yaml")));
    Run r = run("test", tests.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL  support-bot refunds (it may not)",
        "expected: effect allow, rule small-refunds", "actual:   effect deny, rule default-deny",
        "FAIL: 0/1 tests passed");
  }

  @Test
  void explainSummarizesAnAgent() {
    Run r = run("explain", "--agent", "support-bot", "--config", EXAMPLES.resolve("quickstart.yaml").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("You are agent \"support-bot\"", "acme.mail_send only with");
    Run sub = run("explain", "--agent", "ops-bot", "--roles", "support", "--config",
        EXAMPLES.resolve("quickstart.yaml").toString());
    assertThat(sub.out()).doesNotContain("billing_refund");
  }

  @Test
  void explainShowsWhatATokenMayAddAndExplainsTheAgentWithTokenRoles() throws Exception {
    Path policy = dir.resolve("oidc.yaml");
    Files.writeString(policy, """
        version: 1
        agents:
          ops-bot:
            roles: [support]
            oidc: { issuer: "https://idp.example", subject: ops-bot, roles_claim: groups, roles_from_claim: [billing] }
        roles:
          support: { grants: [ { id: tickets, tools: [acme.tickets_read] } ] }
          billing: { grants: [ { id: refunds, tools: [acme.billing_refund] } ] }
          admin: { grants: [ { id: purge, tools: [acme.purge] } ] }
        """);

    Run plain = run("explain", "--agent", "ops-bot", "--config", policy.toString());
    Run withToken = run("explain", "--agent", "ops-bot", "--token-roles", "billing", "--config", policy.toString());
    Run notAllowed = run("explain", "--agent", "ops-bot", "--token-roles", "admin", "--config", policy.toString());

    assertThat(plain.out()).contains("Roles your access token may add (claim groups): billing")
        .doesNotContain("acme.billing_refund");
    assertThat(withToken.out()).contains("Roles: billing, support.", "acme.billing_refund");
    assertThat(notAllowed.status()).isEqualTo(1);
    assertThat(notAllowed.err()).contains("cannot take admin from a token", "roles_from_claim lists billing");
  }

  @Test
  void explainOfAnUnknownAgentListsTheDefinedOnes() {
    Run r = run("explain", "--agent", "nobody", "--config", EXAMPLES.resolve("quickstart.yaml").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("agent 'nobody' is not defined", "support-bot, ops-bot");
  }

  @Test
  void diffShowsGainedAndLostCapabilities() throws Exception {
    String quickstart = Files.readString(EXAMPLES.resolve("quickstart.yaml"));
    Path edited = dir.resolve("edited.yaml");
    {
      Files.writeString(edited, quickstart.replace("args: { amount: { maximum: 100 } }",
          "args: { amount: { maximum: 500 } }"));
      Run r = run("diff", "--exit-code", EXAMPLES.resolve("quickstart.yaml").toString(), edited.toString());
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.out()).contains("ops-bot\n", "  + may use tools acme.billing_refund with amount ≤ 500 [small-refunds]",
          "  - may use tools acme.billing_refund with amount ≤ 100 [small-refunds]").doesNotContain("support-bot");
      Run same = run("diff", EXAMPLES.resolve("quickstart.yaml").toString(), EXAMPLES.resolve("quickstart.yaml")
          .toString());
      assertThat(same.out()).isEqualTo("No agent gains or loses any capability.\n");
    }
  }

  @Test
  void helpIsAvailableOnEverySubcommand() {
    for (String sub : new String[] {"check", "test", "explain", "diff"}) {
      Run r = run(sub, "--help");
      assertThat(r.status()).isZero();
      assertThat(r.out()).contains("Usage: policy " + sub);
    }
  }
}
