package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.policy.Policy;
import java.util.function.BiFunction;

/**
 * How Portcullis introduces itself: its {@code serverInfo}, and the instructions each agent receives, which carry the
 * agent's permission summary so it learns its limits up front instead of by trial and error.
 */
public final class ServerIdentity {
  private final String version;
  private final BiFunction<Policy, Agent, String> summary;

  public ServerIdentity(String version, BiFunction<Policy, Agent, String> summary) {
    this.version = version;
    this.summary = summary;
  }

  ObjectNode serverInfo() {
    return Json.object().put("name", "portcullis").put("title", "Portcullis MCP gateway").put("version", version);
  }

  /** The agent's permission summary alone (served as a resource and a prompt). */
  String summary(Policy policy, Agent agent) {
    return summary.apply(policy, agent);
  }

  String instructions(Policy policy, Agent agent) {
    return "Tools are served through Portcullis, a least-privilege gateway: every call is checked against policy and "
        + "audited. Denied calls return an explanation; do not retry them unchanged.\n\n" + summary.apply(policy, agent);
  }
}
