package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.policy.Policy;

/**
 * Asks the policy. Deny wins, then approval, then dry run, then allow; nothing matching is a deny. Approvals are not
 * enabled yet, so a call that needs one is refused and says so (fail closed). A dry run answers without the tool.
 */
final class Decide implements Step {
  @Override
  public Reply apply(Exchange exchange, Chain next) {
    Policy policy = exchange.policy();
    Decision decision = switch (exchange.method()) {
      case "tools/call" -> {
        exchange.session().countCall();
        yield policy.decide(call(exchange), exchange.tool());
      }
      case "prompts/get" -> policy.decidePrompt(call(exchange));
      case "completion/complete" -> exchange.params().path("ref").path("type").asText().equals("ref/prompt")
          ? visible(policy.visiblePrompt(exchange.agent(), exchange.target()), "prompt", exchange.target())
          : visible(policy.visibleResource(exchange.agent(), exchange.target()), "resource", exchange.target());
      case "resources/read" -> policy.decideResource(call(exchange));
      default -> visible(policy.visibleResource(exchange.agent(), exchange.target()), "resource", exchange.target());
    };
    exchange.decision(decision);
    boolean tool = "tools/call".equals(exchange.method());
    return switch (decision) {
      case Decision.Allow allow -> next.proceed(exchange);
      case Decision.Deny deny -> {
        exchange.outcome(Exchange.Outcome.DENIED);
        yield tool ? Reply.result(Denials.toolResult(exchange.target(), deny.ruleId(), deny.reason(), deny.hint()))
            : Reply.error(Denials.error(exchange.target(), deny.ruleId(), deny.reason(), deny.hint()));
      }
      case Decision.NeedsApproval approval -> {
        exchange.outcome(Exchange.Outcome.DENIED);
        String reason = approval.reason() + "; it needs a human's approval, and approvals are not enabled on this gateway, so it is refused";
        yield tool ? Reply.result(Denials.toolResult(exchange.target(), approval.ruleId(), reason, "Ask an operator to perform it"))
            : Reply.error(Denials.error(exchange.target(), approval.ruleId(), reason, ""));
      }
      case Decision.DryRun dry -> {
        exchange.outcome(Exchange.Outcome.OK);
        yield Reply.result(dryRun(exchange, dry));
      }
    };
  }

  private static Decision visible(boolean visible, String kind, String target) {
    return visible ? new Decision.Allow("grant", kind + " granted", java.util.Optional.empty())
        : new Decision.Deny("default-deny", "no grant of yours covers " + kind + " '" + target + "'",
            "list " + kind + "s to see what you may use");
  }

  static Call call(Exchange exchange) {
    JsonNode arguments = exchange.params().get("arguments");
    return new Call(exchange.message().idText(), exchange.agent(), exchange.session(), exchange.method(), exchange.target(),
        arguments == null || arguments.isNull() ? Json.object() : arguments, exchange.params(), exchange.protocolVersion(),
        exchange.clientInfo(), exchange.receivedAt());
  }

  private static ObjectNode dryRun(Exchange exchange, Decision.DryRun dry) {
    ObjectNode result = Json.object();
    result.putArray("content").addObject().put("type", "text").put("text", "Dry run: Portcullis did not call '" + exchange.target()
        + "' — " + dry.reason() + " [rule " + dry.ruleId() + "]. The arguments passed every check.");
    result.put("isError", false);
    result.putObject("_meta").putObject(Mcp.META_PREFIX + "dryRun").put("rule", dry.ruleId()).put("reason", dry.reason());
    return result;
  }
}
