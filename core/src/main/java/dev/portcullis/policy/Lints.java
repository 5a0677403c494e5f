package dev.portcullis.policy;

import dev.portcullis.config.Problems;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Warnings about policies that load but probably do not say what their author meant. */
final class Lints {
  private Lints() {}

  static void run(RoleGraph graph, List<Entry> rules, Map<String, AgentSpec> agents, Problems problems) {
    Set<String> held = new HashSet<>();
    agents.values().forEach(a -> held.addAll(a.effectiveRoles()));
    for (String role : graph.names()) {
      if (!held.contains(role)) {
        problems.warning(graph.role(role).mark(), "role '" + role + "' is not held by any agent",
            "give it to an agent, or delete it");
      }
    }
    for (String role : graph.names()) {
      List<Entry> grants = graph.role(role).grants();
      for (Entry e : grants) {
        if (e.effect == Effect.DENY) {
          continue;
        }
        for (Entry d : rules) {
          if (shadows(d, e)) {
            problems.warning(e.mark, "grant '" + e.id + "' can never take effect: rule '" + d.id
                + "' denies everything it covers", "narrow the rule or delete the grant");
            break;
          }
        }
        for (Entry d : grants) {
          if (d != e && shadows(d, e)) {
            problems.warning(e.mark, "grant '" + e.id + "' can never take effect: grant '" + d.id
                + "' of the same role denies everything it covers", "narrow the deny or delete the grant");
            break;
          }
        }
      }
    }
  }

  /** Whether unconditional deny {@code d} covers every target of {@code e}, for every agent. */
  private static boolean shadows(Entry d, Entry e) {
    if (d.effect != Effect.DENY || !d.unconditional() || !d.toolLabels.isEmpty() || d.agents != null
        || d.roles != null) {
      return false;
    }
    for (Entry.Target t : Entry.Target.values()) {
      for (String p : e.patterns(t).sources()) {
        if (!covers(d.patterns(t), p)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean covers(NamePattern deny, String pattern) {
    if (NamePattern.isLiteral(pattern)) {
      return deny.matches(pattern);
    }
    for (String q : deny.sources()) {
      if (q.equals("*") || q.equals(pattern)
          || q.endsWith("*") && q.indexOf('*') == q.length() - 1 && pattern.startsWith(q.substring(0, q.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
