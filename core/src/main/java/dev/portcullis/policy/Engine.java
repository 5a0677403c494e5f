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
    if (v.hasRoles(roles)) {
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
    for (Entry e : view.candidates(target, name).entries()) {
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
    Candidates candidates = view.candidates(target, name);
    Entry[] entries = candidates.entries();
    Activation activation = null;
    List<Entry> tightened = null;
    List<ArgConstraint.Failure> tightenFailures = null;
    Decision unmet = null;
    for (int i = 0; i < entries.length; i++) {
      Entry e = entries[i];
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
            if (e.effect != Effect.DENY && unmet == null) {
              unmet = candidates.unmet()[i];
            }
            continue;
          }
        } catch (CelEvaluationException | RuntimeException ex) {
          return Decisions.conditionError(e, target, name, ex);
        }
      }
      return candidates.decisions()[i];
    }
    if (tightened != null) {
      return Decisions.tighteningDeny(name, tightened, tightenFailures);
    }
    return unmet != null ? unmet : candidates.defaultDeny();
  }

  private static Activation activation(AgentView view, Call call, String name, Tool tool, Set<String> labelsA,
      Set<String> labelsB) {
    String upstream = tool != null ? tool.upstream() : name.contains(".") ? name.substring(0, name.indexOf('.')) : "";
    JsonNode annotations = tool == null ? null : tool.definition().get("annotations");
    return new Activation(call, view, name, upstream, annotations, labelsA, labelsB);
  }

  Map<String, AgentSpec> agents() {
    return agents;
  }

  AgentView declaredView(String agentId) {
    return declared.get(agentId);
  }
}
