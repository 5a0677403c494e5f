package dev.portcullis.examples;

import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j agent whose tools come from Portcullis: the MCP client connects to the gateway's endpoint with the
 * agent's key, so the model sees only the tools the agent's roles grant, and every call it makes is checked and
 * audited. Run with {@code PORTCULLIS_URL} and {@code PORTCULLIS_KEY} set; a scripted model stands in for the LLM
 * (swap in any LangChain4j {@link ChatModel}).
 */
public final class LangChain4jAgent {
  /** The agent's interface: LangChain4j implements it around the model and the tools. */
  public interface Assistant {
    String chat(String userMessage);
  }

  private LangChain4jAgent() {}

  /** Asks {@code model} the question with Portcullis' tools available; returns the model's final answer. */
  public static String ask(String mcpUrl, String apiKey, ChatModel model, String question) throws Exception {
    StreamableHttpMcpTransport transport = new StreamableHttpMcpTransport.Builder()
        .url(mcpUrl)
        .customHeaders(Map.of("Authorization", "Bearer " + apiKey))
        .timeout(Duration.ofSeconds(60))
        .build();
    try (McpClient mcp = new DefaultMcpClient.Builder().key("portcullis").transport(transport)
        .clientName("langchain4j-example").clientVersion("1.0.0").build()) {
      Assistant assistant = AiServices.builder(Assistant.class)
          .chatModel(model)
          .toolProvider(McpToolProvider.builder().mcpClients(mcp).build())
          .build();
      return assistant.chat(question);
    }
  }

  public static void main(String[] args) throws Exception {
    String url = System.getenv().getOrDefault("PORTCULLIS_URL", "http://127.0.0.1:8080/mcp");
    String key = System.getenv("PORTCULLIS_KEY");
    if (key == null) {
      System.err.println("set PORTCULLIS_KEY to an agent's key (bin/portcullis demo prints the demo keys)");
      System.exit(2);
    }
    ScriptedChatModel model = new ScriptedChatModel(List.of(
        new ScriptedChatModel.PlannedCall("acme.crm_search", "{\"query\": \"Berlin\"}"),
        new ScriptedChatModel.PlannedCall("acme.mail_send",
            "{\"to\": \"someone@example.org\", \"subject\": \"customers\", \"body\": \"see attached\"}")));
    System.out.println(ask(url, key, model, "Find our Berlin customers and mail the list to someone@example.org"));
  }
}
