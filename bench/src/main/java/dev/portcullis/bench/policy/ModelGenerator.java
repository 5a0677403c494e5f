package dev.portcullis.bench.policy;

import dev.portcullis.bench.policy.PolicyModel.AgentSpec;
import dev.portcullis.bench.policy.PolicyModel.Effect;
import dev.portcullis.bench.policy.PolicyModel.EntrySpec;
import dev.portcullis.bench.policy.PolicyModel.RoleSpec;
import dev.portcullis.bench.policy.PolicyModel.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Generates a realistic policy from a {@link Scenario.Shape} and a seed: a company's upstreams (CRM, billing, files,
 * mail, tickets, analytics), tools of a few kinds each, roles per department that extend each other, grants with CEL
 * conditions and argument tightenings, deny grants, approval grants, and cross-cutting rules (the lethal-trifecta flow
 * rule, business limits, read-only roles, per-agent bans, a session budget). Same shape and seed, same policy.
 */
final class ModelGenerator {
  /** Upstreams, the tool kinds each offers, and the nouns its tools are named after. */
  private static final Map<String, List<ToolKind>> KINDS = new LinkedHashMap<>();
  private static final Map<String, List<String>> NOUNS = new LinkedHashMap<>();

  static {
    KINDS.put("crm", List.of(ToolKind.READ, ToolKind.SEARCH, ToolKind.DELETE, ToolKind.EXPORT));
    KINDS.put("billing", List.of(ToolKind.REFUND, ToolKind.READ, ToolKind.SEARCH));
    KINDS.put("files", List.of(ToolKind.FILE, ToolKind.DELETE, ToolKind.SEARCH));
    KINDS.put("mail", List.of(ToolKind.SEND, ToolKind.SEARCH, ToolKind.READ));
    KINDS.put("tickets", List.of(ToolKind.READ, ToolKind.SEARCH, ToolKind.SEND, ToolKind.DELETE));
    KINDS.put("analytics", List.of(ToolKind.EXPORT, ToolKind.SEARCH, ToolKind.READ));
    NOUNS.put("crm", List.of("customer", "contact", "account", "lead"));
    NOUNS.put("billing", List.of("invoice", "payment", "charge"));
    NOUNS.put("files", List.of("report", "document", "archive"));
    NOUNS.put("mail", List.of("message", "thread", "draft"));
    NOUNS.put("tickets", List.of("ticket", "comment", "case"));
    NOUNS.put("analytics", List.of("dataset", "dashboard", "metric"));
  }

  static final List<String> TEAMS = List.of("support", "payments", "data", "platform", "legal");

  private final Scenario.Shape shape;
  private final Random rng;
  private int entryNumber;

  ModelGenerator(Scenario.Shape shape) {
    this.shape = shape;
    this.rng = new Random(shape.seed());
  }

  PolicyModel generate() {
    List<String> upstreams = new ArrayList<>(KINDS.keySet());
    List<ToolSpec> tools = tools(upstreams);
    List<RoleSpec> roles = roles(upstreams, tools);
    List<AgentSpec> agents = agents(roles);
    List<EntrySpec> rules = rules(upstreams, tools, roles);
    return new PolicyModel(upstreams, tools, agents, roles, rules, Set.of("financial"));
  }

  private List<ToolSpec> tools(List<String> upstreams) {
    List<ToolSpec> tools = new ArrayList<>();
    Map<String, Integer> counters = new LinkedHashMap<>();
    for (int i = 0; i < shape.tools(); i++) {
      String upstream = upstreams.get(i % upstreams.size());
      List<ToolKind> kinds = KINDS.get(upstream);
      int n = counters.merge(upstream, 1, Integer::sum) - 1;
      ToolKind kind = kinds.get(n % kinds.size());
      List<String> nouns = NOUNS.get(upstream);
      String name = upstream + "." + kind.verb + "_" + nouns.get((n / kinds.size()) % nouns.size()) + (n / kinds.size());
      tools.add(new ToolSpec(name, upstream, kind, labels(upstream, kind)));
    }
    return tools;
  }

  private static Set<String> labels(String upstream, ToolKind kind) {
    Set<String> labels = new LinkedHashSet<>();
    if (upstream.equals("crm") && kind != ToolKind.DELETE) {
      labels.add("private_data");
    }
    if (upstream.equals("tickets") && (kind == ToolKind.READ || kind == ToolKind.SEARCH)) {
      labels.add("untrusted_content");
    }
    if (kind == ToolKind.SEND || (upstream.equals("analytics") && kind == ToolKind.EXPORT)) {
      labels.add("external_egress");
    }
    if (upstream.equals("billing")) {
      labels.add("financial");
    }
    return labels;
  }

  private List<RoleSpec> roles(List<String> upstreams, List<ToolSpec> tools) {
    List<RoleSpec> roles = new ArrayList<>();
    int remaining = shape.grants();
    for (int r = 0; r < shape.roles(); r++) {
      String name = "role-" + r;
      List<String> extendsRoles = new ArrayList<>();
      if (r > 2 && rng.nextInt(10) < 3) {
        extendsRoles.add("role-" + rng.nextInt(r));
      }
      List<String> home = new ArrayList<>(List.of(upstreams.get(r % upstreams.size())));
      if (rng.nextBoolean()) {
        home.add(upstreams.get(rng.nextInt(upstreams.size())));
      }
      int count = remaining / (shape.roles() - r);
      remaining -= count;
      List<EntrySpec> grants = new ArrayList<>();
      for (int g = 0; g < count; g++) {
        grants.add(grant(ToolKind.pick(rng, home), tools));
      }
      roles.add(new RoleSpec(name, extendsRoles, grants));
    }
    return roles;
  }

  private EntrySpec grant(String upstream, List<ToolSpec> tools) {
    List<ToolKind> kinds = KINDS.get(upstream);
    ToolKind kind = ToolKind.pick(rng, kinds);
    List<ToolSpec> ofKind = tools.stream().filter(t -> t.upstream().equals(upstream) && t.kind() == kind).toList();
    List<String> targets = new ArrayList<>();
    if (rng.nextInt(10) < 3) {
      targets.add(upstream + "." + kind.verb + "_*");
    } else {
      int n = 1 + rng.nextInt(Math.min(3, ofKind.size()));
      for (int i = 0; i < n; i++) {
        String name = ToolKind.pick(rng, ofKind).name();
        if (!targets.contains(name)) {
          targets.add(name);
        }
      }
    }
    int e = rng.nextInt(100);
    Effect effect = e < 88 ? Effect.ALLOW : e < 94 ? Effect.DENY : Effect.REQUIRE_APPROVAL;
    Optional<Predicate> when = Optional.empty();
    if (rng.nextInt(100) < 65 || effect != Effect.ALLOW) {
      Predicate first = grantPredicate(kind, upstream, tools);
      when = Optional.of(rng.nextInt(10) < 3
          ? (rng.nextBoolean() ? new Predicate.All(List.of(first, grantPredicate(kind, upstream, tools)))
              : new Predicate.Any(List.of(first, grantPredicate(kind, upstream, tools))))
          : first);
    }
    List<Tighten> args = rng.nextInt(100) < 35 ? List.of(kind.tightening(rng)) : List.of();
    return new EntrySpec("g" + (entryNumber++) + "-" + kind.verb + "-" + upstream, effect, targets, Optional.empty(),
        when, args, List.of(), List.of());
  }

  private Predicate grantPredicate(ToolKind kind, String upstream, List<ToolSpec> tools) {
    int p = rng.nextInt(100);
    if (p < 60) {
      return kind.argumentPredicate(rng);
    }
    if (p < 75) {
      return rng.nextBoolean() ? new Predicate.AgentIs("region", ToolKind.pick(rng, ToolKind.REGIONS))
          : new Predicate.AgentAtLeast("tier", 2 + rng.nextInt(2));
    }
    return switch (rng.nextInt(3)) {
      case 0 -> new Predicate.SessionCalled(ToolKind.pick(rng, tools.stream()
          .filter(t -> t.upstream().equals(upstream) && t.kind().readOnly).toList()).name());
      case 1 -> new Predicate.Not(new Predicate.SessionHasLabel("untrusted_content"));
      default -> new Predicate.SessionCallsBelow(50 + 50L * rng.nextInt(3));
    };
  }

  private List<AgentSpec> agents(List<RoleSpec> roles) {
    List<AgentSpec> agents = new ArrayList<>();
    for (int a = 0; a < shape.agents(); a++) {
      int n = rng.nextInt(10) < 2 ? 3 : 1 + rng.nextInt(2);
      List<String> held = new ArrayList<>();
      while (held.size() < n) {
        String role = roles.get(rng.nextInt(roles.size())).name();
        if (!held.contains(role)) {
          held.add(role);
        }
      }
      agents.add(new AgentSpec(String.format("agent-%02d", a), held, ToolKind.pick(rng, ToolKind.REGIONS),
          1 + rng.nextInt(4), ToolKind.pick(rng, TEAMS)));
    }
    return agents;
  }

  private List<EntrySpec> rules(List<String> upstreams, List<ToolSpec> tools, List<RoleSpec> roles) {
    List<EntrySpec> rules = new ArrayList<>();
    rules.add(rule("no-egress-after-untrusted-private", Effect.DENY, List.of(), Optional.of("external_egress"),
        new Predicate.All(List.of(new Predicate.SessionHasLabel("private_data"),
            new Predicate.SessionHasLabel("untrusted_content"))), List.of(), List.of()));
    rules.add(rule("deletes-need-tier-3", Effect.DENY, List.of("*.delete_*"), Optional.empty(),
        new Predicate.Not(new Predicate.AgentAtLeast("tier", 3)), List.of(), List.of()));
    rules.add(rule("refund-hard-limit", Effect.DENY, List.of("*.refund_*"), Optional.empty(),
        new Predicate.Not(new Predicate.ArgAtMost("amount", 5_000)), List.of(), List.of()));
    rules.add(rule("no-export-of-untrusted-sessions", Effect.DENY, List.of("*.export_*"), Optional.empty(),
        new Predicate.All(List.of(new Predicate.SessionHasLabel("untrusted_content"),
            new Predicate.Not(new Predicate.AgentIs("team", "data")))), List.of(), List.of()));
    rules.add(rule("no-path-traversal", Effect.DENY, List.of("files.write_*"), Optional.empty(),
        new Predicate.ArgContains("path", ".."), List.of(), List.of()));
    rules.add(rule("financial-session-budget", Effect.DENY, List.of(), Optional.of("financial"),
        new Predicate.Not(new Predicate.SessionCallsBelow(150)), List.of(), List.of()));
    rules.add(rule("external-mail-needs-approval", Effect.REQUIRE_APPROVAL, List.of("*.send_*"), Optional.empty(),
        new Predicate.Not(new Predicate.ArgEndsWith("to", "@acme.example")), List.of(), List.of()));
    rules.add(rule("session-call-budget", Effect.DENY, List.of("*"), Optional.empty(),
        new Predicate.Not(new Predicate.SessionCallsBelow(190)), List.of(), List.of()));
    rules.add(rule("banned-agents-no-files", Effect.DENY, List.of("files.*"), Optional.empty(), null,
        List.of("agent-4*"), List.of()));
    while (rules.size() < shape.rules()) {
      String upstream = ToolKind.pick(rng, upstreams);
      List<String> selected = List.of(ToolKind.pick(rng, roles).name(), ToolKind.pick(rng, roles).name()).stream()
          .distinct().toList();
      Predicate when = switch (rng.nextInt(3)) {
        case 0 -> new Predicate.Not(new Predicate.ToolReadOnly());
        case 1 -> new Predicate.All(List.of(new Predicate.Not(new Predicate.ToolReadOnly()),
            new Predicate.SessionHasLabel("untrusted_content")));
        default -> new Predicate.Not(new Predicate.AgentIs("region", ToolKind.pick(rng, ToolKind.REGIONS)));
      };
      rules.add(rule("limit-" + rules.size() + "-" + upstream, Effect.DENY, List.of(upstream + ".*"), Optional.empty(),
          when, List.of(), selected));
    }
    return rules;
  }

  private static EntrySpec rule(String id, Effect effect, List<String> tools, Optional<String> label, Predicate when,
      List<String> agents, List<String> roles) {
    return new EntrySpec(id, effect, tools, label, Optional.ofNullable(when), List.of(), agents, roles);
  }
}
