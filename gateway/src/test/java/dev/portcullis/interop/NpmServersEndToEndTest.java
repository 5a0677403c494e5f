package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.interop.SdkClient.Run;
import dev.portcullis.interop.SdkClient.Sdk;
import dev.portcullis.testsupport.GatewayUnderTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The npm reference servers (filesystem, memory, everything over stdio) behind one gateway,
 * driven by the official TypeScript SDK clients: v2 on the 2026-07-28 wire and v1 on the 2025-11-25 wire. Every
 * allowed call is checked by its effect on the upstream; every refused one by the upstream showing no effect.
 */
class NpmServersEndToEndTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        fs: { command: %s }
        memory: { command: %s, env: { MEMORY_FILE_PATH: "%s" } }
        every: { command: %s }
      agents:
        reader:
          roles: [reader]
          keys: [ ${key:reader} ]
        curator:
          roles: [curator]
          keys: [ ${key:curator} ]
      roles:
        reader:
          description: Reads the public folder; writes nothing.
          grants:
            - id: read-public-files
              description: Read files under the public folder only.
              tools: [fs.read_text_file, fs.list_directory, fs.write_file]
              args: { path: { pattern: %s } }
            - id: echo
              tools: [every.echo]
        curator:
          description: Keeps the knowledge graph; may add numbers.
          grants:
            - id: knowledge-graph
              tools: ["memory.*"]
            - id: everything-basics
              tools: [every.echo, every.get-sum, every.get-env]
      rules:
        - id: no-file-writes
          description: The files folder is read-only for every agent.
          hint: ask a human to change files
          effect: deny
          tools: [fs.write_file, fs.edit_file, fs.move_file, fs.create_directory]
        - id: no-environment
          description: The server's environment may hold secrets.
          effect: deny
          tools: ["*.get-env"]
      """;

  @RegisterExtension
  static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(dir -> POLICY.formatted(
          Peers.filesystem(dir.resolve("files")), Peers.memory(), dir.resolve("memory.jsonl"), Peers.everythingStdio(),
          Peers.under(dir.resolve("files/public"))))
      .file("files/public/hello.txt", "hello from the public folder\n")
      .file("files/private/secret.txt", "the private folder\n");

  private static Path publicDir() {
    return gateway.sandbox().resolve("files/public");
  }

  private static Path memoryFile() {
    return gateway.sandbox().resolve("memory.jsonl");
  }

  private SdkClient as(Sdk sdk, String agent) {
    return SdkClient.http(sdk, gateway.mcpUrl(), gateway.key(agent));
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void eachAgentListsOnlyTheToolsItsRolesGrant(Sdk sdk) throws Exception {
    Run reader = as(sdk, "reader").listTools().run();
    Run curator = as(sdk, "curator").listTools().run();

    assertThat(reader.toolNames(0)).containsExactlyInAnyOrder("fs.read_text_file", "fs.list_directory", "every.echo");
    assertThat(curator.toolNames(0)).contains("memory.create_entities", "memory.read_graph", "every.get-sum")
        .doesNotContain("fs.read_text_file", "every.get-env");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void allowedReadIsRelayedToTheFilesystemServer(Sdk sdk) throws Exception {
    Run run = as(sdk, "reader").call("fs.read_text_file", "{\"path\": \"%s\"}".formatted(publicDir().resolve("hello.txt")))
        .run();

    assertThat(run.result(0).path("isError").asBoolean(false)).isFalse();
    assertThat(run.text(0)).contains("hello from the public folder");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void deniedWriteNamesTheRuleAndLeavesTheFileUnchanged(Sdk sdk) throws Exception {
    Path target = publicDir().resolve("hello.txt");
    byte[] before = Files.readAllBytes(target);

    Run run = as(sdk, "reader").call("fs.write_file", "{\"path\": \"%s\", \"content\": \"overwritten\"}".formatted(target))
        .run();

    assertThat(run.result(0).path("isError").asBoolean()).isTrue();
    assertThat(run.text(0)).contains("Denied by Portcullis", "no-file-writes");
    assertThat(run.result(0).path("_meta").path("dev.portcullis/denial").path("rule").asText()).isEqualTo("no-file-writes");
    assertThat(Files.readAllBytes(target)).isEqualTo(before);
    assertThat(lastCall("fs.write_file").outcome().name()).isEqualTo("NOT_FORWARDED");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void readOutsideTheGrantedFolderIsRefusedByTheTightenedSchema(Sdk sdk) throws Exception {
    Run run = as(sdk, "reader").call("fs.read_text_file",
        "{\"path\": \"%s\"}".formatted(gateway.sandbox().resolve("files/private/secret.txt"))).run();

    assertThat(run.result(0).path("isError").asBoolean()).isTrue();
    assertThat(run.text(0)).contains("Denied by Portcullis", "path").doesNotContain("the private folder");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void undeclaredParameterIsRefused(Sdk sdk) throws Exception {
    Run run = as(sdk, "reader").call("fs.read_text_file",
        "{\"path\": \"%s\", \"followSymlinksOutside\": true}".formatted(publicDir().resolve("hello.txt"))).run();

    assertThat(run.result(0).path("isError").asBoolean()).isTrue();
    assertThat(run.text(0)).contains("undeclared-arguments", "followSymlinksOutside")
        .doesNotContain("hello from the public folder");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void memoryEntitiesCreatedThroughTheGatewayReachTheMemoryFile(Sdk sdk) throws Exception {
    String entity = "Portcullis-" + sdk.name();
    Run run = as(sdk, "curator")
        .call("memory.create_entities", """
            {"entities": [{"name": "%s", "entityType": "project", "observations": ["guards tool calls"]}]}
            """.formatted(entity))
        .call("memory.search_nodes", "{\"query\": \"%s\"}".formatted(entity))
        .run();

    assertThat(run.result(0).path("isError").asBoolean(false)).isFalse();
    assertThat(Files.readString(memoryFile(), StandardCharsets.UTF_8)).contains(entity, "guards tool calls");
    assertThat(run.text(1)).contains(entity);
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void agentWithoutAGrantCannotWriteTheKnowledgeGraph(Sdk sdk) throws Exception {
    String entity = "Intruder-" + sdk.name();
    Run run = as(sdk, "reader").call("memory.create_entities", """
        {"entities": [{"name": "%s", "entityType": "x", "observations": []}]}""".formatted(entity)).run();

    assertThat(run.result(0).path("isError").asBoolean()).isTrue();
    assertThat(run.text(0)).contains("default-deny");
    assertThat(Files.exists(memoryFile()) ? Files.readString(memoryFile()) : "").doesNotContain(entity);
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void everythingServerOverStdioAnswersThroughTheGateway(Sdk sdk) throws Exception {
    Run run = as(sdk, "curator")
        .call("every.echo", "{\"message\": \"via stdio\"}")
        .call("every.get-sum", "{\"a\": 2, \"b\": 40}")
        .run();

    assertThat(run.text(0)).contains("via stdio");
    assertThat(run.text(1)).contains("42");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void deniedSensitiveToolNeverReturnsTheEnvironment(Sdk sdk) throws Exception {
    Run run = as(sdk, "curator").call("every.get-env", "{}").run();

    assertThat(run.result(0).path("isError").asBoolean()).isTrue();
    assertThat(run.text(0)).contains("no-environment").doesNotContain("PATH");
    assertThat(lastCall("every.get-env").upstreamLatency()).isZero();
  }

  private AuditRecord lastCall(String tool) {
    try (AuditStore store = AuditStore.readSqlite(gateway.auditFile())) {
      List<AuditRecord> all = store.range(1, Integer.MAX_VALUE);
      return all.reversed().stream().filter(r -> tool.equals(r.tool())).findFirst()
          .orElseThrow(() -> new AssertionError("no audit entry for " + tool));
    }
  }

  static String text(JsonNode result) {
    StringBuilder text = new StringBuilder();
    result.path("content").forEach(c -> text.append(c.path("text").asText("")));
    return text.toString();
  }
}
