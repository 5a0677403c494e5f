package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.model.Decision;

/**
 * Looks at what the upstream answered before the agent does: classifies the outcome (ok, tool error, transport
 * error), applies the grant's row and field filter, and adds the tool's labels to the session (flow rules read them).
 */
final class Inspect implements Step {
  @Override
  public Reply apply(Exchange exchange, Chain next) {
    Reply reply = next.proceed(exchange);
    boolean toolCall = "tools/call".equals(exchange.method());
    switch (reply) {
      case Reply.Result r -> {
        JsonNode result = r.result();
        if ("input_required".equals(result.path("resultType").asText())) {
          exchange.outcome(Exchange.Outcome.INPUT_REQUIRED);
          return reply;
        }
        if (exchange.outcome() != Exchange.Outcome.TRANSPORT_ERROR) {
          exchange.outcome(toolCall && result.path("isError").asBoolean(false) ? Exchange.Outcome.TOOL_ERROR : Exchange.Outcome.OK);
        }
        if (exchange.decision() instanceof Decision.Allow allow && allow.filter().isPresent()) {
          exchange.filtered(allow.filter().get().apply(result, Decide.call(exchange)));
        }
        if (toolCall) {
          exchange.session().recordToolCalled(exchange.tool().name(), exchange.policy().labels(exchange.tool()));
        }
      }
      case Reply.Error e -> {
        if (exchange.outcome() == null) {
          exchange.outcome(Exchange.Outcome.PROTOCOL_ERROR);
        }
        if (toolCall && exchange.upstreamNanos() >= 0) {
          // The upstream saw the call: whatever it read counts for flow rules even though it failed.
          exchange.session().recordToolCalled(exchange.tool().name(), exchange.policy().labels(exchange.tool()));
        }
      }
    }
    return reply;
  }


}
