package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.interop.SdkClient.Run;
import dev.portcullis.interop.SdkClient.Sdk;
import dev.portcullis.json.Json;
import dev.portcullis.testing.McpTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.portcullis.testsupport.GatewayUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests a gateway must refuse without forwarding, sent by real SDK clients where a real client can send them
 * (missing or bad key, forged or foreign session) and as raw HTTP where no SDK would (a body over the limit, headers
 * contradicting the body). Each refusal is checked by its status and error, and by the upstream's files folder staying
 * untouched: every refused request tries to write a file.
 */
class BadInputEndToEndTest {
  private static final String POLICY = """
      version: 1
      server:
        limits: { max_body_bytes: 65536 }
      upstreams:
        acme: { command: %s }
      agents:
        writer:
          roles: [writer]
          keys: [ ${key:writer} ]
        other:
          roles: [writer]
          keys: [ ${key:other} ]
      roles:
        writer:
          grants:
            - id: files
              tools: [acme.files_read, acme.files_write, acme.files_list]
      """;

  @RegisterExtension
  static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)));

  private static String write(String file) {
    return "{\"path\": \"" + file + "\", \"content\": \"should not be written\"}";
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void missingKeyIsRefusedWith401(Sdk sdk) throws Exception {
    Run run = SdkClient.http(sdk, gateway.mcpUrl(), null).call("acme.files_write", write("nokey-" + sdk + ".txt")).run();

    String error = run.connected() ? run.failure(0).toString() : run.error().toString();
    assertThat(error).containsAnyOf("401", "Unauthorized");
    assertThat(gateway.sandbox().resolve("nokey-" + sdk + ".txt")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void badKeyIsRefusedWith401(Sdk sdk) throws Exception {
    Run run = SdkClient.http(sdk, gateway.mcpUrl(), "pcl_kwrong_" + "x".repeat(43))
        .call("acme.files_write", write("badkey-" + sdk + ".txt")).run();

    String error = run.connected() ? run.failure(0).toString() : run.error().toString();
    assertThat(error).containsAnyOf("401", "Unauthorized");
    assertThat(gateway.sandbox().resolve("badkey-" + sdk + ".txt")).doesNotExist();
  }

  @Test
  void missingKeyGets401NamingHowToAuthenticate() {
    try (McpTestClient client = McpTestClient.stateless(gateway.mcpUrl())) {
      McpTestClient.Response response = client.callTool("acme.files_list", Json.object());

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.error().path("code").asInt()).isEqualTo(-32001);
      assertThat(response.error().path("message").asText()).contains("Authorization: Bearer");
      assertThat(response.error().path("data").path("resource_metadata").asText()).contains("oauth-protected-resource");
    }
  }

  @Test
  void forgedSessionHandleIsRefusedOnThe2026Wire() throws Exception {
    Run run = SdkClient.http(Sdk.V2, gateway.mcpUrl(), gateway.key("writer"))
        .callWithMeta("acme.files_write", write("forged.txt"), "{\"dev.portcullis/session\": \"s_forged.AAAAAAAAAAAAAAAAAAAAAA\"}")
        .run();

    assertThat(run.failure(0).path("code").asInt()).isEqualTo(-32602);
    assertThat(run.failure(0).path("message").asText()).contains("forged or foreign");
    assertThat(gateway.sandbox().resolve("forged.txt")).doesNotExist();
  }

  @Test
  void anotherAgentsSessionHandleIsRefusedOnThe2026Wire() throws Exception {
    Run owner = SdkClient.http(Sdk.V2, gateway.mcpUrl(), gateway.key("writer")).listTools().run();
    String handle = owner.result(0).path("_meta").path("dev.portcullis/session").asText();
    assertThat(handle).startsWith("s_");

    Run thief = SdkClient.http(Sdk.V2, gateway.mcpUrl(), gateway.key("other"))
        .callWithMeta("acme.files_write", write("foreign-handle.txt"), "{\"dev.portcullis/session\": \"" + handle + "\"}")
        .run();

    assertThat(thief.failure(0).path("message").asText()).contains("not issued to this credential");
    assertThat(gateway.sandbox().resolve("foreign-handle.txt")).doesNotExist();
  }

  @Test
  void anotherAgentsMcpSessionIdIsRefusedOnThe2025Wire() throws Exception {
    Run owner = SdkClient.http(Sdk.V1, gateway.mcpUrl(), gateway.key("writer")).listTools().keepOpen().run();
    assertThat(owner.sessionId()).isNotBlank();

    Run thief = SdkClient.http(Sdk.V1, gateway.mcpUrl(), gateway.key("other")).sessionId(owner.sessionId())
        .call("acme.files_write", write("foreign-session.txt")).run();

    String error = thief.connected() ? thief.failure(0).toString() : thief.error().toString();
    assertThat(error).containsAnyOf("404", "Session not found");
    assertThat(gateway.sandbox().resolve("foreign-session.txt")).doesNotExist();
  }

  @Test
  void bodyOverTheLimitIsRefusedWith413() {
    try (McpTestClient client = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("writer"))) {
      ObjectNode arguments = Json.object().put("path", "huge.txt").put("content", "x".repeat(70_000));

      McpTestClient.Response response = client.callTool("acme.files_write", arguments);

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.error().path("message").asText()).contains("max_body_bytes");
      assertThat(gateway.sandbox().resolve("huge.txt")).doesNotExist();
    }
  }

  @Test
  void nameHeaderContradictingTheBodyIsRefusedAndNeverForwarded() {
    try (McpTestClient client = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("writer"))) {
      ObjectNode params = Json.object().put("name", "acme.files_write");
      params.set("arguments", Json.object().put("path", "mismatch.txt").put("content", "x"));
      params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
          .putObject("io.modelcontextprotocol/clientCapabilities");
      ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call");
      message.set("params", params);

      McpTestClient.Response response = client.send(message, Map.of("MCP-Protocol-Version", "2026-07-28",
          "Mcp-Method", "tools/call", "Mcp-Name", "acme.files_read"));

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.error().path("code").asInt()).isEqualTo(-32020);
      assertThat(gateway.sandbox().resolve("mismatch.txt")).doesNotExist();
    }
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void unknownToolIsAnErrorNamingTheTool(Sdk sdk) throws Exception {
    Run run = SdkClient.http(sdk, gateway.mcpUrl(), gateway.key("writer")).call("acme.files_delete", "{}").run();

    assertThat(run.failure(0).path("message").asText()).contains("acme.files_delete");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void theGatewayKeepsServingAfterBadInput(Sdk sdk) throws Exception {
    Run run = SdkClient.http(sdk, gateway.mcpUrl(), gateway.key("writer"))
        .call("acme.files_write", "{\"path\": \"after-" + sdk + ".txt\", \"content\": \"still serving\"}").run();

    assertThat(run.result(0).path("isError").asBoolean(false)).isFalse();
    assertThat(gateway.sandbox().resolve("after-" + sdk + ".txt")).hasContent("still serving");
  }
}
