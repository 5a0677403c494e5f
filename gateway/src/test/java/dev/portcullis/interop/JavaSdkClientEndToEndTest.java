package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import dev.portcullis.testsupport.GatewayUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MCP Java SDK client (2.1.0, 2025-11-25 wire) against the gateway with the acme demo server behind it over
 * stdio: what a Spring AI or plain-Java agent would see.
 */
class JavaSdkClientEndToEndTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { command: %s }
      agents:
        support:
          roles: [support]
          keys: [ ${key:support} ]
        ops:
          roles: [ops]
          keys: [ ${key:ops} ]
      roles:
        support:
          grants:
            - id: read-files
              tools: [acme.files_read, acme.files_list]
        ops:
          extends: [support]
          grants:
            - id: write-reports
              tools: [acme.files_write]
              args: { path: { pattern: "^reports/" } }
      """;

  @RegisterExtension
  static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)));

  private McpSyncClient client(String key) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gateway.gateway().baseUri().toString())
        .endpoint("/mcp")
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
        .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
        .clientInfo(new McpSchema.Implementation("portcullis-java-sdk-test", "1.0.0")).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
        .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining());
  }

  @Test
  void eachAgentListsOnlyItsGrantedTools() {
    try (McpSyncClient support = client(gateway.key("support")); McpSyncClient ops = client(gateway.key("ops"))) {
      support.initialize();
      ops.initialize();

      assertThat(support.listTools().tools()).extracting(McpSchema.Tool::name)
          .containsExactly("acme.files_list", "acme.files_read");
      assertThat(ops.listTools().tools()).extracting(McpSchema.Tool::name)
          .containsExactly("acme.files_list", "acme.files_read", "acme.files_write");
    }
  }

  @Test
  void allowedWriteReachesTheUpstreamAndReadsBack() {
    try (McpSyncClient ops = client(gateway.key("ops"))) {
      ops.initialize();

      McpSchema.CallToolResult written = ops.callTool(new McpSchema.CallToolRequest("acme.files_write",
          Map.of("path", "reports/java-sdk.txt", "content", "written by the Java SDK")));
      McpSchema.CallToolResult read = ops.callTool(new McpSchema.CallToolRequest("acme.files_read",
          Map.of("path", "reports/java-sdk.txt")));

      assertThat(written.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(gateway.sandbox().resolve("reports/java-sdk.txt")).hasContent("written by the Java SDK");
      assertThat(text(read)).isEqualTo("written by the Java SDK");
    }
  }

  @Test
  void writeOutsideTheGrantedFolderIsDeniedAndNothingIsWritten() {
    try (McpSyncClient ops = client(gateway.key("ops"))) {
      ops.initialize();

      McpSchema.CallToolResult result = ops.callTool(new McpSchema.CallToolRequest("acme.files_write",
          Map.of("path", "notes/java-sdk.txt", "content", "x")));

      assertThat(result.isError()).isTrue();
      assertThat(text(result)).contains("Denied by Portcullis", "path");
      assertThat(gateway.sandbox().resolve("notes/java-sdk.txt")).doesNotExist();
    }
  }

  @Test
  void toolOutsideTheAgentsRolesIsDeniedByDefault() {
    try (McpSyncClient support = client(gateway.key("support"))) {
      support.initialize();

      McpSchema.CallToolResult result = support.callTool(new McpSchema.CallToolRequest("acme.files_write",
          Map.of("path", "reports/support.txt", "content", "x")));

      assertThat(result.isError()).isTrue();
      assertThat(text(result)).contains("default-deny");
      assertThat(gateway.sandbox().resolve("reports/support.txt")).doesNotExist();
    }
  }

  @Test
  void undeclaredParameterIsRefused() {
    try (McpSyncClient support = client(gateway.key("support"))) {
      support.initialize();

      McpSchema.CallToolResult result = support.callTool(new McpSchema.CallToolRequest("acme.files_list",
          Map.of("path", ".", "recursive", true)));

      assertThat(result.isError()).isTrue();
      assertThat(text(result)).contains("undeclared-arguments", "recursive");
    }
  }

  @Test
  void badKeyCannotInitialize() {
    try (McpSyncClient intruder = client("pcl_knope_" + "x".repeat(43))) {
      // The SDK reports any 401/403 as an authorization exception carrying the response; its text has no status.
      assertThatThrownBy(intruder::initialize).rootCause().isInstanceOfSatisfying(
          io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException.class,
          e -> assertThat(e.getResponseInfo().statusCode()).isEqualTo(401));
    }
  }
}
