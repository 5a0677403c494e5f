package dev.portcullis.bench.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.bench.policy.PolicyModel.AgentSpec;
import dev.portcullis.bench.policy.PolicyModel.EntrySpec;
import dev.portcullis.bench.policy.PolicyModel.ToolSpec;
import dev.portcullis.bench.policy.Scenario.Category;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.SessionView;
import dev.portcullis.model.Tool;
import dev.portcullis.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Draws a fixed-seed mix of tool calls over a generated policy. Candidates are drawn the way real traffic looks (mostly
 * tools the agent can see, some it cannot; argument values on both sides of the limits; session histories with and
 * without the labels and tools conditions ask about), classified by Portcullis' decision, and kept until each category
 * has its share.
 */
final class RequestMix {
  /** Share of each category in the mix, in percent. */
  static final Map<Category, Integer> SHARES = new EnumMap<>(Map.of(
      Category.ALLOWED, 40,
      Category.NEEDS_APPROVAL, 5,
      Category.DENIED_BY_RULE, 15,
      Category.DEFAULT_DENY, 15,
      Category.TIGHTENING_VIOLATION, 10,
      Category.CONDITION_UNMET, 15));
  static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final List<String> LABELS = List.of("private_data", "untrusted_content", "external_egress",
      "financial");

  private final PolicyModel model;
  private final Policy policy;
  private final CedarEngine cedar;
  private final Random rng;
  private final Map<String, Agent> agents = new HashMap<>();
  private final Map<String, Tool> tools = new HashMap<>();
  private final Map<String, List<ToolSpec>> visible = new HashMap<>();
  private final Set<String> denyIds = new HashSet<>();
  private final List<String> historyTools;

  RequestMix(PolicyModel model, Policy policy, CedarEngine cedar, long seed) {
    this.model = model;
    this.policy = policy;
    this.cedar = cedar;
    this.rng = new Random(seed);
    for (ToolSpec t : model.tools()) {
      tools.put(t.name(), tool(t));
    }
    for (AgentSpec a : model.agents()) {
      Agent agent = policy.agent(a.id(), "bench-" + a.id()).orElseThrow();
      agents.put(a.id(), agent);
      visible.put(a.id(), model.tools().stream().filter(t -> policy.visible(agent, tools.get(t.name()))).toList());
    }
    Stream.concat(model.roles().stream().flatMap(r -> r.grants().stream()), model.rules().stream())
        .filter(e -> e.effect() == PolicyModel.Effect.DENY).forEach(e -> denyIds.add(e.id()));
    Set<String> called = new LinkedHashSet<>();
    Stream.concat(model.roles().stream().flatMap(r -> r.grants().stream()), model.rules().stream())
        .forEach(e -> e.when().ifPresent(w -> collectCalled(w, called)));
    this.historyTools = List.copyOf(called);
  }

  List<Scenario.Case> draw(int n) {
    Map<Category, Integer> quota = new EnumMap<>(Category.class);
    SHARES.forEach((c, share) -> quota.put(c, (int) Math.round(n * share / 100.0)));
    List<Draft> out = new ArrayList<>(n);
    List<Draft> spare = new ArrayList<>();
    long attempts = 0;
    while (out.size() < n && attempts < 100L * n) {
      attempts++;
      Draft d = candidate();
      if (quota.getOrDefault(d.category, 0) > 0) {
        quota.merge(d.category, -1, Integer::sum);
        out.add(d);
      } else if (spare.size() < n) {
        spare.add(d);
      }
    }
    for (int i = 0; out.size() < n && i < spare.size(); i++) {
      out.add(spare.get(i));
    }
    Collections.shuffle(out, rng);
    return out.stream().map(d -> new Scenario.Case(d.call, d.tool, d.category, cedar.prepare(d.call.agent().id(),
        d.tool.name(), d.call.arguments(), d.call.session().labels(), d.call.session().toolsCalled(),
        d.call.session().calls()))).toList();
  }

  /** A candidate call and what Portcullis makes of it. */
  private record Draft(Call call, Tool tool, Category category) {}

  private Draft candidate() {
    AgentSpec agentSpec = ToolKind.pick(rng, model.agents());
    List<ToolSpec> seen = visible.get(agentSpec.id());
    ToolSpec toolSpec = rng.nextInt(100) < 75 && !seen.isEmpty() ? ToolKind.pick(rng, seen)
        : ToolKind.pick(rng, model.tools());
    ObjectNode arguments = toolSpec.kind().arguments(rng);
    Set<String> labels = new LinkedHashSet<>();
    for (String label : LABELS) {
      if (rng.nextInt(100) < 20) {
        labels.add(label);
      }
    }
    List<String> called = new ArrayList<>();
    int history = rng.nextInt(5);
    for (int i = 0; i < history; i++) {
      called.add(rng.nextBoolean() && !historyTools.isEmpty() ? ToolKind.pick(rng, historyTools)
          : ToolKind.pick(rng, model.tools()).name());
    }
    long calls = rng.nextInt(100) < 75 ? rng.nextInt(120) : 120 + rng.nextInt(90);
    Session session = new Session("s-" + rng.nextInt(1_000_000), NOW.minusSeconds(600), calls, Set.copyOf(labels),
        List.copyOf(called));
    ObjectNode params = JsonNodeFactory.instance.objectNode().put("name", toolSpec.name());
    params.set("arguments", arguments);
    Call call = new Call("1", agents.get(agentSpec.id()), session, "tools/call", toolSpec.name(), arguments, params,
        "2026-07-28", JsonNodeFactory.instance.objectNode().put("name", "bench"), NOW);
    Tool tool = tools.get(toolSpec.name());
    Category category = classify(policy.decide(call, tool));
    return new Draft(call, tool, category);
  }

  private Category classify(Decision decision) {
    return switch (decision) {
      case Decision.Allow a -> Category.ALLOWED;
      case Decision.DryRun d -> Category.ALLOWED;
      case Decision.NeedsApproval a -> Category.NEEDS_APPROVAL;
      case Decision.Deny d when d.ruleId().equals("default-deny") -> Category.DEFAULT_DENY;
      case Decision.Deny d when denyIds.contains(d.ruleId()) -> Category.DENIED_BY_RULE;
      case Decision.Deny d when d.reason().contains(" only when ") -> Category.CONDITION_UNMET;
      case Decision.Deny d -> Category.TIGHTENING_VIOLATION;
    };
  }

  private static Tool tool(ToolSpec t) {
    ObjectNode definition = JsonNodeFactory.instance.objectNode().put("name", t.upstreamName())
        .put("description", "Generated " + t.kind().verb + " tool of " + t.upstream());
    definition.set("inputSchema", t.kind().inputSchema());
    definition.putObject("annotations").put("readOnlyHint", t.kind().readOnly)
        .put("destructiveHint", t.kind() == ToolKind.DELETE);
    return new Tool(t.name(), t.upstream(), t.upstreamName(), definition, t.labels(), "");
  }

  private static void collectCalled(Predicate p, Set<String> into) {
    switch (p) {
      case Predicate.SessionCalled s -> into.add(s.tool());
      case Predicate.Not n -> collectCalled(n.inner(), into);
      case Predicate.All a -> a.parts().forEach(q -> collectCalled(q, into));
      case Predicate.Any a -> a.parts().forEach(q -> collectCalled(q, into));
      default -> { }
    }
  }

  /** A session as the gateway would show it to the policy. */
  record Session(String id, Instant startedAt, long calls, Set<String> labels, List<String> toolsCalled)
      implements SessionView {}
}
