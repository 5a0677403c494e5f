package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;

/**
 * Denials an agent can act on: the text says which tool, which rule, why, and what the agent may do instead; the same
 * facts go machine-readable into {@code _meta} under {@code dev.portcullis/denial}.
 */
final class Denials {
  static final String DOCS = "docs/checks/";

  private Denials() {}

  /** A {@code tools/call} denial: a tool result with {@code isError: true}, so the model reads it. */
  static ObjectNode toolResult(String tool, String ruleId, String reason, String hint) {
    ObjectNode result = Json.object();
    StringBuilder text = new StringBuilder("Denied by Portcullis: tool '").append(tool).append("' — ").append(reason)
        .append(" [rule ").append(ruleId).append("]");
    if (!hint.isEmpty()) {
      text.append(". ").append(hint);
    }
    text.append(". Retrying the same call will be denied again.");
    result.putArray("content").addObject().put("type", "text").put("text", text.toString());
    result.put("isError", true);
    result.putObject("_meta").set(Mcp.META_DENIAL, detail(tool, ruleId, reason, hint));
    return result;
  }

  /** A denial of a non-tool request (prompt, resource, completion): a JSON-RPC error carrying the same detail. */
  static McpError error(String target, String ruleId, String reason, String hint) {
    return McpError.of(McpError.DENIED, "Denied by Portcullis: '" + target + "' — " + reason + " [rule " + ruleId + "]"
        + (hint.isEmpty() ? "" : ". " + hint), detail(target, ruleId, reason, hint));
  }

  private static ObjectNode detail(String target, String ruleId, String reason, String hint) {
    ObjectNode detail = Json.object().put("target", target).put("rule", ruleId).put("reason", reason);
    if (!hint.isEmpty()) {
      detail.put("hint", hint);
    }
    detail.put("retryable", false);
    docPage(ruleId).ifPresent(page -> detail.put("docs", DOCS + page + ".md"));
    return detail;
  }

  /** The page for built-in checks; a policy's own rules point to their page in their hint. */
  private static java.util.Optional<String> docPage(String ruleId) {
    return switch (ruleId) {
      case "input-schema", "undeclared-arguments", "argument-limits", "default-deny" -> java.util.Optional.of(ruleId);
      default -> java.util.Optional.empty();
    };
  }
}
