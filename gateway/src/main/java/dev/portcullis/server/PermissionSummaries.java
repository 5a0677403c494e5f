package dev.portcullis.server;

import dev.portcullis.catalog.Catalog;
import dev.portcullis.catalog.Entry;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Tool;
import dev.portcullis.policy.Policy;

/**
 * The permission summary an agent receives in the server instructions: which tools and prompts it may use, which of
 * them change things, and that everything else is refused. Computed from the live catalog and the policy.
 */
final class PermissionSummaries {
  private PermissionSummaries() {}

  static String render(Policy policy, Agent agent, Catalog catalog) {
    StringBuilder out = new StringBuilder("Permissions of agent '").append(agent.id()).append("' (roles: ")
        .append(String.join(", ", agent.roles().stream().sorted().toList())).append("):\n");
    int tools = 0;
    for (Tool tool : catalog.tools()) {
      if (policy.visible(agent, tool)) {
        tools++;
        out.append("- tool ").append(tool.name());
        if (tool.hint("destructiveHint")) {
          out.append(" (destructive)");
        } else if (tool.hint("readOnlyHint")) {
          out.append(" (read-only)");
        }
        out.append('\n');
      }
    }
    for (Entry prompt : catalog.prompts()) {
      if (policy.visiblePrompt(agent, prompt.name())) {
        out.append("- prompt ").append(prompt.name()).append('\n');
      }
    }
    if (tools == 0) {
      out.append("- no tools are granted to this agent\n");
    }
    out.append("Arguments are checked against each tool's inputSchema and your grants; parameters a tool does not declare "
        + "are refused. Any other tool, prompt or resource is denied by default.");
    return out.toString();
  }
}
