package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.identity.AgentIdentity;
import dev.portcullis.identity.ProtectedResourceMetadata;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Decision;
import java.util.Iterator;
import java.util.List;

/**
 * A sub-agent token may limit its holder to some tools ({@code tool:acme.crm_*} at token exchange), on top of what its
 * roles grant. A {@code tools/call} outside that limit is refused with 403 {@code insufficient_scope} (the token is
 * fine, its scope is not: an orchestrator can exchange a token for the tool), and {@code tools/list} leaves such tools
 * out. Agents without such a limit pass untouched.
 */
final class LimitDelegation implements Step {
  static final String RULE = "delegated-tools";

  private final ProtectedResourceMetadata metadata;

  LimitDelegation(ProtectedResourceMetadata metadata) {
    this.metadata = metadata;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    AgentIdentity token = exchange.identity().orElse(null);
    if (token == null || token.tools().isEmpty()) {
      return next.proceed(exchange);
    }
    if ("tools/call".equals(exchange.method())) {
      String tool = exchange.params().path("name").asText("");
      if (!token.mayUse(tool)) {
        exchange.target(tool);
        String reason = "the token of sub-agent " + token.agentId() + " is limited to tools " + token.tools().get()
            + ", which do not include '" + tool + "'";
        exchange.decision(new Decision.Deny(RULE, reason, "ask the delegating agent for a token that covers it"));
        exchange.outcome(Exchange.Outcome.DENIED);
        ObjectNode data = Json.object()
            .put("resource_metadata", metadata.metadataUrl())
            .put("scope", "tool:" + tool)
            .put(Pipeline.WWW_AUTHENTICATE, metadata.challenge("insufficient_scope", reason, List.of("tool:" + tool)));
        return Reply.error(new McpError(McpError.DENIED, "Forbidden: " + reason + " [rule " + RULE + "]", data, 403));
      }
    }
    Reply reply = next.proceed(exchange);
    if ("tools/list".equals(exchange.method()) && reply instanceof Reply.Result r
        && r.result().get("tools") instanceof ArrayNode tools) {
      for (Iterator<JsonNode> it = tools.iterator(); it.hasNext(); ) {
        if (!token.mayUse(it.next().path("name").asText())) {
          it.remove();
        }
      }
    }
    return reply;
  }
}
