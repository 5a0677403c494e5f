package dev.portcullis.policy;

import dev.portcullis.model.Agent;
import dev.portcullis.model.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A concise, plain-text summary of what one agent may do, written for the agent's system prompt: what it may call
 * and with which limits, what needs approval, what runs as a dry run, what is denied and when, and its budgets. With
 * the catalog, patterns are expanded to the actual tools; without it, patterns are shown as written.
 */
public final class PermissionSummary {
  private PermissionSummary() {}

  public static String render(Policy policy, Agent agent) {
    return render(policy, agent, Optional.empty());
  }

  public static String render(Policy policy, Agent agent, Optional<Collection<Tool>> catalog) {
    AgentView view = policy.engine().view(agent);
    if (view == null) {
      return "Agent \"" + agent.id() + "\" is not defined in the policy; every call is denied.\n";
    }
    AgentSpec spec = policy.agents().get(agent.id());
    StringBuilder out = new StringBuilder();
    out.append("You are agent \"").append(agent.id()).append("\"");
    if (spec != null && !spec.description().isEmpty()) {
      out.append(": ").append(spec.description());
    }
    out.append("\nRoles: ").append(view.roles.isEmpty() ? "none" : String.join(", ", view.roles)).append(".\n");
    if (spec != null && spec.oidc().isPresent()) {
      fromToken(out, spec.oidc().get());
    }
    out.append("Portcullis checks every call against these permissions. Anything not listed here is denied, so do not "
        + "try other tools.\n");
    Map<Effect, List<String>> sections = new LinkedHashMap<>();
    for (Effect e : List.of(Effect.ALLOW, Effect.REQUIRE_APPROVAL, Effect.DRY_RUN, Effect.DENY)) {
      sections.put(e, new ArrayList<>());
    }
    for (Entry e : view.entries) {
      String line = line(policy, e, catalog, agent);
      if (line != null) {
        sections.get(e.effect).add(line);
      }
    }
    section(out, "You may", sections.get(Effect.ALLOW));
    section(out, "These need a human's approval (the call waits or returns pending)", sections.get(Effect.REQUIRE_APPROVAL));
    section(out, "These run as a dry run (answered without any effect)", sections.get(Effect.DRY_RUN));
    section(out, "Denied", sections.get(Effect.DENY));
    policy.budgets().forAgent(agent.id()).ifPresent(b -> {
      List<String> parts = new ArrayList<>();
      b.callsPerSession().ifPresent(n -> parts.add(n + " calls per session"));
      b.callsPerDay().ifPresent(n -> parts.add(n + " calls per day"));
      b.costUsdPerSession().ifPresent(c -> parts.add(String.format("%.2f USD per session", c)));
      b.costUsdPerDay().ifPresent(c -> parts.add(String.format("%.2f USD per day", c)));
      b.rate().ifPresent(r -> parts.add("at most " + r));
      if (!parts.isEmpty()) {
        out.append("\nBudget: ").append(String.join(", ", parts)).append(".\n");
      }
    });
    policy.budgets().loops().ifPresent(l -> out.append("Repeating the same call more than ").append(l.sameCallRepeats())
        .append(" times within ").append(l.window().toSeconds()).append("s is stopped.\n"));
    out.append("\nA denied call says which rule denied it and what you may do instead; read it and adapt rather "
        + "than retrying.\n");
    return out.toString();
  }

  /** Which roles and attributes the agent's access token may contribute (shown by {@code policy explain}). */
  private static void fromToken(StringBuilder out, AgentSpec.Oidc oidc) {
    if (!oidc.rolesFromClaim().isEmpty()) {
      out.append("Roles your access token may add (claim ").append(oidc.rolesClaim().orElseThrow()).append("): ")
          .append(String.join(", ", oidc.rolesFromClaim())).append("; other roles it names are ignored.\n");
    }
    if (!oidc.attributes().isEmpty()) {
      List<String> parts = new ArrayList<>();
      oidc.attributes().forEach((name, claim) -> parts.add(name + " (claim " + claim + ")"));
      out.append("Attributes from your access token: ").append(String.join(", ", parts))
          .append("; a condition on an attribute your token lacks denies.\n");
    }
  }

  private static void section(StringBuilder out, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.append('\n').append(title).append(":\n");
    lines.forEach(l -> out.append("- ").append(l).append('\n'));
  }

  private static String line(Policy policy, Entry e, Optional<Collection<Tool>> catalog, Agent agent) {
    List<String> targets = new ArrayList<>();
    Set<String> tools = expand(policy, e, catalog, agent);
    if (!tools.isEmpty()) {
      targets.add((e.effect == Effect.DENY ? "" : "call ") + String.join(", ", tools));
    }
    if (!e.prompts.isEmpty()) {
      targets.add((e.effect == Effect.DENY ? "prompts " : "use prompts ") + e.prompts);
    }
    if (!e.resources.isEmpty()) {
      targets.add((e.effect == Effect.DENY ? "resources " : "read resources ") + e.resources);
    }
    if (targets.isEmpty()) {
      return null;
    }
    StringBuilder line = new StringBuilder(String.join("; ", targets));
    List<String> limits = new ArrayList<>();
    if (e.args != null) {
      limits.add(e.args.describe());
    }
    if (e.when != null) {
      limits.add(e.when.source);
    }
    if (!limits.isEmpty()) {
      line.append(e.effect == Effect.DENY ? " when " : " only with ").append(String.join(" and ", limits));
    }
    if (e.filter != null) {
      line.append(" (results: ").append(e.filter.describe()).append(')');
    }
    if (e.approval != null && !e.approval.approvers().isEmpty()) {
      line.append(" (approvers: ").append(String.join(", ", e.approval.approvers())).append(')');
    }
    e.describedAs().ifPresent(d -> line.append(" — ").append(d));
    line.append(" [").append(e.id).append(']');
    return line.toString();
  }

  /** The tools an entry covers: from the catalog when known (only visible ones for grants), else its patterns. */
  private static Set<String> expand(Policy policy, Entry e, Optional<Collection<Tool>> catalog, Agent agent) {
    Set<String> out = new LinkedHashSet<>();
    if (catalog.isPresent()) {
      TreeSet<String> names = new TreeSet<>();
      for (Tool t : catalog.get()) {
        boolean named = e.tools.matches(t.name()) && e.labelsMatch(t.labels(), policy.toolFacts(t.name()).labels());
        if (named && (e.effect == Effect.DENY || policy.visible(agent, t))) {
          names.add(t.name());
        }
      }
      out.addAll(names);
      return out;
    }
    if (!e.toolLabels.isEmpty()) {
      TreeSet<String> labelled = new TreeSet<>();
      policy.tools().values().forEach(f -> {
        if (e.labelsMatch(f.labels(), Set.of()) && e.tools.matches(f.name())) {
          labelled.add(f.name());
        }
      });
      out.add("tools labelled " + String.join(" or ", e.toolLabels)
          + (labelled.isEmpty() ? "" : " (" + String.join(", ", labelled) + ")"));
      return out;
    }
    out.addAll(e.tools.sources());
    return out;
  }
}
