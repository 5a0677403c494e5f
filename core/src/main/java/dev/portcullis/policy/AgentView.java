package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything that can apply to one agent with one set of effective roles: the grants of its roles and the rules that
 * select it, computed once. Per target name, the entries that match the name are cached in precedence order, so a
 * decision is a map lookup and a short loop.
 */
final class AgentView {
  private static final int CACHE_LIMIT = 4096;
  private static final Comparator<Entry> PRECEDENCE = Comparator
      .comparingInt((Entry e) -> e.effect.ordinal())
      .thenComparingInt(e -> e.filter != null ? 0 : 1) // a filtered grant wins over an unfiltered one: fail safe
      .thenComparingInt(e -> e.order);

  /** The last agent's CEL value: an authenticated agent is one shared object per key, so this usually hits. */
  private record CelAgent(dev.portcullis.model.Agent agent, java.util.Map<String, Object> value) {}

  private volatile CelAgent celAgent;

  final String agentId;
  final Set<String> roles;
  final List<Entry> entries;
  private final ConcurrentHashMap<String, Candidates> tools = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Candidates> prompts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Candidates> resources = new ConcurrentHashMap<>();
  /** Per target kind, the default-deny hint listing what the agent may use; computed on first use. */
  private final String[] grantedHints = new String[Entry.Target.values().length];
  /** The last role set found to equal {@link #roles}: an agent object's set is checked once, not on every call. */
  private volatile Set<String> sameRoles;

  AgentView(String agentId, Set<String> roles, RoleGraph graph, List<Entry> rules) {
    this.agentId = agentId;
    this.roles = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(roles));
    List<Entry> list = new ArrayList<>();
    for (String role : roles) {
      RoleGraph.Role r = graph.role(role);
      if (r != null) {
        list.addAll(r.grants());
      }
    }
    for (Entry rule : rules) {
      if (rule.selects(agentId, this.roles)) {
        list.add(rule);
      }
    }
    this.entries = List.copyOf(list);
  }

  java.util.Map<String, Object> celValue(dev.portcullis.model.Agent agent) {
    CelAgent c = celAgent;
    if (c == null || c.agent != agent) {
      c = new CelAgent(agent, Activation.agentValue(agent));
      celAgent = c;
    }
    return c.value;
  }

  /** Whether an agent holding {@code agentRoles} has exactly this view's roles. */
  boolean hasRoles(Set<String> agentRoles) {
    if (agentRoles == sameRoles) {
      return true;
    }
    if (agentRoles.equals(roles)) {
      sameRoles = agentRoles;
      return true;
    }
    return false;
  }

  Candidates candidates(Entry.Target target, String name) {
    ConcurrentHashMap<String, Candidates> cache = switch (target) {
      case TOOL -> tools;
      case PROMPT -> prompts;
      case RESOURCE -> resources;
    };
    Candidates found = cache.get(name);
    if (found == null) {
      Entry[] matching = entries.stream().filter(e -> e.patterns(target).matches(name)).sorted(PRECEDENCE)
          .toArray(Entry[]::new);
      found = Candidates.of(this, target, name, matching);
      if (cache.size() < CACHE_LIMIT) {
        cache.put(name, found);
      }
    }
    return found;
  }

  String grantedHint(Entry.Target target) {
    String hint = grantedHints[target.ordinal()];
    if (hint == null) {
      hint = Decisions.grantedHint(entries, target);
      grantedHints[target.ordinal()] = hint; // racy but idempotent: every thread computes the same string
    }
    return hint;
  }
}
