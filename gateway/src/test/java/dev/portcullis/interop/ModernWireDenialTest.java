package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.front.StdioFront;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testsupport.GatewayUnderTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every 2026-07-28 result carries {@code resultType}, denials included: the TypeScript SDK v2 client rejects a result
 * without it, so a denial the agent should read would surface as a protocol failure instead.
 */
class ModernWireDenialTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { command: %s }
      agents:
        reader:
          roles: [reader]
          keys: [ ${key:reader} ]
      roles:
        reader:
          grants:
            - id: read-files
              tools: [acme.files_read]
      """;

  @RegisterExtension
  static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)));

  @Test
  void denialsOnTheStatelessHttpWireCarryResultType() throws Exception {
    try (McpTestClient client = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("reader"))) {
      ObjectNode notGranted = client.callTool("acme.files_write", (ObjectNode) SdkClient.parse(
          "{\"path\": \"a.txt\", \"content\": \"x\"}")).result();
      ObjectNode undeclared = client.callTool("acme.files_read", (ObjectNode) SdkClient.parse(
          "{\"path\": \"a.txt\", \"mode\": \"raw\"}")).result();

      assertThat(notGranted.path("isError").asBoolean()).isTrue();
      assertThat(notGranted.path("resultType").asText()).isEqualTo("complete");
      assertThat(undeclared.path("isError").asBoolean()).isTrue();
      assertThat(undeclared.path("resultType").asText()).isEqualTo("complete");
      assertThat(gateway.sandbox().resolve("a.txt")).doesNotExist();
    }
  }

  @Test
  void denialsOnTheStatelessStdioWireCarryResultType() throws Exception {
    Agent reader = gateway.gateway().policy().authenticate(gateway.key("reader")).orElseThrow();
    String request = """
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "acme.files_write",
         "arguments": {"path": "a.txt", "content": "x"},
         "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                   "io.modelcontextprotocol/clientCapabilities": {}}}}
        """.replace("\n", " ") + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new StdioFront(gateway.gateway().pipeline(), reader, 1 << 20, out)
        .serve(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)));

    JsonNode response = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8).strip());
    assertThat(response.path("result").path("isError").asBoolean()).isTrue();
    assertThat(response.path("result").path("resultType").asText()).isEqualTo("complete");
  }
}
