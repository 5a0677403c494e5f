package dev.portcullis.examples;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plain MCP Java SDK client using Portcullis as its MCP server: connect with the agent's key, list the tools the
 * agent may use, call one. A denied call comes back as a tool result with {@code isError} and the rule that decided.
 * Run with {@code PORTCULLIS_URL} and {@code PORTCULLIS_KEY} set.
 */
public final class McpJavaSdkClient implements AutoCloseable {
  private final McpSyncClient client;

  /** Connects to the MCP endpoint {@code mcpUrl} (e.g. {@code http://127.0.0.1:8080/mcp}) and initializes. */
  public McpJavaSdkClient(URI mcpUrl, String apiKey) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
        .builder(mcpUrl.resolve("/").toString())
        .endpoint(mcpUrl.getPath())
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + apiKey))
        .build();
    this.client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
        .clientInfo(new McpSchema.Implementation("mcp-java-sdk-example", "1.0.0")).build();
    client.initialize();
  }

  /** The names of the tools this agent may use. */
  public List<String> tools() {
    return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
  }

  /** Calls a tool; the result's text, and whether it is an error (a denial or a tool failure). */
  public Result call(String tool, Map<String, Object> arguments) {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    String text = result.content().stream().filter(McpSchema.TextContent.class::isInstance)
        .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    return new Result(Boolean.TRUE.equals(result.isError()), text);
  }

  /** A tool call's outcome as the agent sees it. */
  public record Result(boolean isError, String text) {}

  @Override
  public void close() {
    client.closeGracefully();
  }

  public static void main(String[] args) {
    String url = System.getenv().getOrDefault("PORTCULLIS_URL", "http://127.0.0.1:8080/mcp");
    String key = System.getenv("PORTCULLIS_KEY");
    if (key == null) {
      System.err.println("set PORTCULLIS_KEY to an agent's key (bin/portcullis demo prints the demo keys)");
      System.exit(2);
    }
    try (McpJavaSdkClient client = new McpJavaSdkClient(URI.create(url), key)) {
      System.out.println("tools: " + client.tools());
      System.out.println(client.call("acme.crm_search", Map.of("query", "Berlin")));
    }
  }
}
