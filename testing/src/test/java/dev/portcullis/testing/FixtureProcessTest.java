package dev.portcullis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testing.kit.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixtures as child processes, reached with the test client on both wires and over stdio. */
class FixtureProcessTest {

  @Test
  void httpFixtureAnswersBothWires() {
    try (FixtureProcess acme = FixtureProcess.demoHttp();
         McpTestClient modern = McpTestClient.stateless(acme.url());
         McpTestClient legacy = McpTestClient.stateful(acme.url())) {
      JsonNode modernTools = modern.result("tools/list", Json.object()).path("tools");
      JsonNode legacyInit = legacy.initialize();
      JsonNode legacyCall = legacy.callTool("crm_get", Json.object().put("id", "C002")).result();

      assertThat(acme.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
      assertThat(modernTools.size()).isGreaterThan(10);
      assertThat(legacyInit.path("serverInfo").path("name").asText()).isEqualTo("acme");
      assertThat(legacy.sessionId()).isPresent();
      assertThat(legacyCall.path("structuredContent").path("customer").path("name").asText())
          .isEqualTo("Bruno Rossi");
    }
  }

  @Test
  void stdioFixtureCrashesWithStatusThreeOnDebugCrash() throws Exception {
    try (FixtureProcess acme = FixtureProcess.demoStdio()) {
      String call = """
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"debug_crash","arguments":{},\
          "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}
          """;
      acme.stdin().write(call.getBytes(StandardCharsets.UTF_8));
      acme.stdin().flush();

      assertThat(acme.waitFor(Duration.ofSeconds(30))).contains(3);
      assertThat(acme.stdout().readLine()).as("no answer is sent for the crashed call").isNull();
      assertThat(acme.stderr()).contains("debug_crash");
    }
  }

  @Test
  void stdioFixtureAnswersOnStdoutOnly() throws Exception {
    try (FixtureProcess acme = FixtureProcess.demoStdio()) {
      String discover = """
          {"jsonrpc":"2.0","id":"d","method":"server/discover","params":{\
          "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}
          """;
      acme.stdin().write(discover.getBytes(StandardCharsets.UTF_8));
      acme.stdin().flush();

      JsonNode answer = Json.parse(acme.stdout().readLine());

      assertThat(answer.path("result").path("supportedVersions").get(0).asText()).isEqualTo("2026-07-28");
    }
  }

  @Test
  void commandLaunchesTheMainClassWithThisJvmAndClasspath() {
    List<String> command = FixtureProcess.command(DemoToolServer.class, List.of("--stdio"));

    assertThat(command.getFirst()).startsWith(System.getProperty("java.home"));
    assertThat(command).contains(DemoToolServer.class.getName(), "--stdio");
  }
}
