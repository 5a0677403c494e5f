package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.Tool;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides calls. Precedence: a matching deny wins; then require_approval; then dry_run; then allow; nothing matching
 * is a deny ({@code default-deny}). A condition that fails to evaluate denies, naming the entry and the expression.
 */
final class Engine {
  static final String DOCS = "docs/checks/";

  private final Map<String, AgentSpec> agents;
  private final Map<String, AgentView> declared;
  private final Map<String, ToolFacts> facts;
  private final RoleGraph graph;
  private final List<Entry> rules;
  private final ConcurrentHashMap<String, AgentView> attenuated = new ConcurrentHashMap<>();
  /** Per agent, the most roles it can hold: its own plus those its access tokens may add. */
  private final Map<String, Set<String>> ceilings;

  Engine(Map<String, AgentSpec> agents, Map<String, ToolFacts> facts, RoleGraph graph, List<Entry> rules,
      java.util.function.Function<AgentSpec, Set<String>> ceiling) {
    this.agents = agents;
    this.facts = facts;
    this.graph = graph;
    this.rules = rules;
    Map<String, AgentView> views = new java.util.HashMap<>();
    agents.values().forEach(a -> views.put(a.id(), new AgentView(a.id(), a.effectiveRoles(), graph, rules)));
    this.declared = Map.copyOf(views);
    Map<String, Set<String>> most = new java.util.HashMap<>();
    agents.values().forEach(a -> most.put(a.id(), ceiling.apply(a)));
    this.ceilings = Map.copyOf(most);
  }

  /**
   * The view for an agent; for a sub-agent with fewer roles, a view of those roles only. A sub-agent (non-empty actor
   * chain) is decided as its root agent, the first of the chain, narrowed to its own roles. Null for unknown agents.
   */
  AgentView view(Agent agent) {
    String declaredId = agent.actorChain().isEmpty() ? agent.id() : agent.actorChain().getFirst();
    AgentView v = declared.get(declaredId);
    if (v == null) {
      return null;
    }
    Set<String> roles = agent.roles();
    if (roles == v.roles || roles.equals(v.roles)) {
      return v;
    }
    // Never more than the declared roles (and those a token may add), whatever the Agent object claims.
    TreeSet<String> effective = new TreeSet<>(roles);
    effective.retainAll(ceilings.get(declaredId));
    String key = declaredId + "|" + String.join(",", effective);
    return attenuated.computeIfAbsent(key, k -> new AgentView(declaredId, effective, graph, rules));
  }

  ToolFacts facts(String tool) {
    ToolFacts f = facts.get(tool);
    return f == null ? ToolFacts.none(tool) : f;
  }

  boolean visible(Agent agent, Entry.Target target, String name, Set<String> toolLabels) {
    AgentView view = view(agent);
    if (view == null) {
      return false;
    }
    Set<String> factLabels = target == Entry.Target.TOOL ? facts(name).labels() : Set.of();
    boolean granted = false;
    for (Entry e : view.candidates(target, name)) {
      if (!e.labelsMatch(toolLabels, factLabels)) {
        continue;
      }
      if (e.effect == Effect.DENY) {
        if (e.unconditional()) {
          return false;
        }
      } else {
        granted = true;
      }
    }
    return granted;
  }

  Decision decide(Entry.Target target, Call call, String name, Tool tool) {
    AgentView view = view(call.agent());
    if (view == null) {
      return new Decision.Deny("unknown-agent", "agent '" + call.agent().id() + "' is not defined in the policy",
          "ask the operator to add the agent, or use a key of a defined agent");
    }
    Set<String> toolLabels = tool == null ? Set.of() : tool.labels();
    Set<String> factLabels = target == Entry.Target.TOOL ? facts(name).labels() : Set.of();
    JsonNode arguments = call.arguments();
    Activation activation = null;
    List<Entry> tightened = null;
    List<ArgConstraint.Failure> tightenFailures = null;
    Entry conditioned = null;
    for (Entry e : view.candidates(target, name)) {
      if (!e.labelsMatch(toolLabels, factLabels)) {
        continue;
      }
      if (e.args != null) {
        ArgConstraint.Failure f = e.args.check(arguments);
        if (f != null) {
          if (e.effect != Effect.DENY) {
            if (tightened == null) {
              tightened = new java.util.ArrayList<>(2);
              tightenFailures = new java.util.ArrayList<>(2);
            }
            tightened.add(e);
            tightenFailures.add(f);
          }
          continue;
        }
      }
      if (e.when != null) {
        if (activation == null) {
          activation = activation(view, call, name, tool, toolLabels, factLabels);
        }
        try {
          if (!e.when.test(activation)) {
            if (e.effect != Effect.DENY && conditioned == null) {
              conditioned = e;
            }
            continue;
          }
        } catch (CelEvaluationException | RuntimeException ex) {
          return conditionError(e, target, name, ex);
        }
      }
      return decision(e, target, name);
    }
    if (tightened != null) {
      return tighteningDeny(name, tightened, tightenFailures);
    }
    if (conditioned != null) {
      return new Decision.Deny(conditioned.id,
          conditioned.word() + " " + conditioned.id + " allows " + name + " only when " + conditioned.when.source
              + ", which does not hold for this call",
          (conditioned.hint.isEmpty()
              ? conditioned.describedAs().map(d -> "the grant says: " + d).orElse("change the call so the condition holds")
              : conditioned.hint) + " (see " + DOCS + "conditions.md)");
    }
    return defaultDeny(view, target, name);
  }

  /** Names the allow grant that came closest (or the first), and what every failed grant would have admitted. */
  private static Decision tighteningDeny(String name, List<Entry> entries, List<ArgConstraint.Failure> failures) {
    int primary = 0;
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).effect == Effect.ALLOW) {
        primary = i;
        break;
      }
    }
    Entry e = entries.get(primary);
    ArgConstraint.Failure f = failures.get(primary);
    StringBuilder hint = new StringBuilder(f.allowed());
    if (e.effect != Effect.ALLOW) {
      hint.append(" (").append(effectWords(e.effect)).append(")");
    }
    for (int i = 0; i < entries.size(); i++) {
      if (i != primary) {
        hint.append("; under ").append(entries.get(i).word()).append(' ').append(entries.get(i).id).append(": ")
            .append(failures.get(i).allowed()).append(" (").append(effectWords(entries.get(i).effect)).append(')');
      }
    }
    if (!e.hint.isEmpty()) {
      hint.append("; ").append(e.hint);
    }
    hint.append(" (see ").append(DOCS).append("argument-tightening.md)");
    return new Decision.Deny(e.id, name + " " + f.argument() + " " + f.value() + " " + f.problem() + " of " + e.word()
        + " " + e.id, hint.toString());
  }

  static String effectWords(Effect effect) {
    return switch (effect) {
      case ALLOW -> "allowed";
      case REQUIRE_APPROVAL -> "with a human's approval";
      case DRY_RUN -> "as a dry run";
      case DENY -> "denied";
    };
  }

  private static Activation activation(AgentView view, Call call, String name, Tool tool, Set<String> labelsA,
      Set<String> labelsB) {
    String upstream = tool != null ? tool.upstream() : name.contains(".") ? name.substring(0, name.indexOf('.')) : "";
    JsonNode annotations = tool == null ? null : tool.definition().get("annotations");
    return new Activation(call, view, name, upstream, annotations, labelsA, labelsB);
  }

  private static Decision decision(Entry e, Entry.Target target, String name) {
    if (e.effect == Effect.ALLOW) {
      return new Decision.Allow(e.id, e.allowReason, e.filterOption);
    }
    String because = e.describedAs().map(d -> ": " + d).orElse("");
    return switch (e.effect) {
      case DENY -> new Decision.Deny(e.id, target.word + " " + name + " is denied by " + e.label() + because,
          (e.hint.isEmpty() ? "do not retry this call; it will be denied while the rule applies" : e.hint)
              + " (see " + DOCS + (e.kind == Entry.Kind.RULE && !e.toolLabels.isEmpty() ? "flow-rules.md)"
                  : "deny-rules.md)"));
      case REQUIRE_APPROVAL -> new Decision.NeedsApproval(e.id, target.word + " " + name + " needs a human's approval "
          + "under " + e.label() + because);
      case DRY_RUN -> new Decision.DryRun(e.id, target.word + " " + name + " runs as a dry run under " + e.label()
          + because);
      case ALLOW -> new Decision.Allow(e.id, e.allowReason, e.filterOption);
    };
  }

  private static Decision conditionError(Entry e, Entry.Target target, String name, Exception ex) {
    String error = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    return new Decision.Deny(e.id, "the condition of " + e.label() + " (" + e.when.source + ") could not be "
        + "evaluated for " + target.word + " " + name + ": " + error + "; the call is denied",
        "check that the call carries the arguments the condition reads (see " + DOCS + "condition-error.md)");
  }

  private Decision defaultDeny(AgentView view, Entry.Target target, String name) {
    LinkedHashSet<String> granted = new LinkedHashSet<>();
    for (Entry e : view.entries) {
      if (e.effect != Effect.DENY) {
        granted.addAll(e.targetsIn(target));
      }
    }
    String plural = target.word + "s";
    String hint;
    if (granted.isEmpty()) {
      hint = "you hold no grant for any " + target.word + "; ask the operator for one";
    } else {
      List<String> shown = granted.stream().limit(15).toList();
      hint = plural + " you may use: " + String.join(", ", shown) + (granted.size() > shown.size() ? ", ..." : "")
          + "; list them with " + (target == Entry.Target.TOOL ? "tools/list" : target == Entry.Target.PROMPT
              ? "prompts/list" : "resources/list");
    }
    return new Decision.Deny("default-deny", "agent '" + view.agentId + "' may not use " + target.word + " " + name
        + ": no grant of its roles (" + String.join(", ", view.roles) + ") covers it",
        hint + " (see " + DOCS + "default-deny.md)");
  }

  Map<String, AgentSpec> agents() {
    return agents;
  }

  AgentView declaredView(String agentId) {
    return declared.get(agentId);
  }
}
