package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which agents gain or lose which capabilities between two policies: a review aid for policy changes ("does this edit
 * give anyone more than intended?"). Capabilities are compared as normalized descriptions of the grants and rules
 * that apply to each agent.
 */
public final class PolicyDiff {
  private PolicyDiff() {}

  /** One capability an agent gains ({@code gained}) or loses. */
  public record Change(String agentId, boolean gained, String capability) {
    public Change {
      Objects.requireNonNull(agentId);
      Objects.requireNonNull(capability);
    }
  }

  public static List<Change> compare(Policy before, Policy after) {
    Set<String> agents = new TreeSet<>(before.agents().keySet());
    agents.addAll(after.agents().keySet());
    List<Change> changes = new ArrayList<>();
    for (String id : agents) {
      Set<String> old = capabilities(before, id);
      Set<String> now = capabilities(after, id);
      now.stream().filter(c -> !old.contains(c)).forEach(c -> changes.add(new Change(id, true, c)));
      old.stream().filter(c -> !now.contains(c)).forEach(c -> changes.add(new Change(id, false, c)));
    }
    return changes;
  }

  /** The diff as text: one block per agent, {@code +} for gained, {@code -} for lost; "no changes" when equal. */
  public static String render(List<Change> changes) {
    if (changes.isEmpty()) {
      return "No agent gains or loses any capability.\n";
    }
    StringBuilder out = new StringBuilder();
    String current = null;
    for (Change c : changes) {
      if (!c.agentId().equals(current)) {
        current = c.agentId();
        out.append(current).append('\n');
      }
      out.append(c.gained() ? "  + " : "  - ").append(c.capability()).append('\n');
    }
    return out.toString();
  }

  static Set<String> capabilities(Policy policy, String agentId) {
    Set<String> out = new TreeSet<>();
    AgentSpec spec = policy.agents().get(agentId);
    if (spec == null) {
      return out;
    }
    out.add("exists (roles: " + String.join(", ", spec.effectiveRoles().stream().sorted().toList()) + ", mode "
        + spec.mode().name().toLowerCase(Locale.ROOT) + ")");
    spec.keyIds().forEach(k -> out.add("API key " + k));
    spec.oidc().ifPresent(o -> {
      out.add("OIDC identity " + o.issuer() + " / " + (o.subjectClaim().equals(AgentSpec.Oidc.SUB) ? ""
          : o.subjectClaim() + " = ") + o.subject());
      if (!o.rolesFromClaim().isEmpty()) {
        out.add("roles a token may add (claim " + o.rolesClaim().orElseThrow() + "): "
            + String.join(", ", o.rolesFromClaim().stream().sorted().toList()));
      }
      o.attributes().forEach((name, claim) -> out.add("attribute " + name + " from token claim " + claim));
    });
    AgentView view = policy.engine().declaredView(agentId);
    for (Entry e : view.entries) {
      out.add(describe(e));
    }
    Set<String> ceiling = policy.oidcCeiling(spec);
    if (!ceiling.equals(spec.effectiveRoles())) {
      AgentView most = policy.engine().view(new dev.portcullis.model.Agent(agentId, spec.version(), ceiling,
          java.util.Map.of(), List.of(), "diff"));
      for (Entry e : most.entries) {
        if (!view.entries.contains(e)) {
          out.add("with a role from its token " + describe(e));
        }
      }
    }
    policy.budgets().forAgent(agentId).ifPresent(b -> out.add("budget " + b));
    return out;
  }

  private static String describe(Entry e) {
    Set<String> targets = new LinkedHashSet<>();
    if (!e.tools.isEmpty()) {
      targets.add("tools " + e.tools);
    }
    if (!e.toolLabels.isEmpty()) {
      targets.add("tools labelled " + String.join("/", e.toolLabels));
    }
    if (!e.prompts.isEmpty()) {
      targets.add("prompts " + e.prompts);
    }
    if (!e.resources.isEmpty()) {
      targets.add("resources " + e.resources);
    }
    StringBuilder s = new StringBuilder(switch (e.effect) {
      case ALLOW -> "may use ";
      case DENY -> "is denied ";
      case REQUIRE_APPROVAL -> "with approval may use ";
      case DRY_RUN -> "as dry run may use ";
    }).append(String.join(", ", targets));
    if (e.args != null) {
      s.append(" with ").append(e.args.describe());
    }
    if (e.when != null) {
      s.append(" when ").append(e.when.source);
    }
    if (e.filter != null) {
      s.append(" filtered (").append(e.filter.describe()).append(')');
    }
    return s.append(" [").append(e.id).append(']').toString();
  }
}
