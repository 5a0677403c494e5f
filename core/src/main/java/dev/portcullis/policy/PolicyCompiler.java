package dev.portcullis.policy;

import dev.portcullis.config.AuditConfig;
import dev.portcullis.config.ConfigSections;
import dev.portcullis.config.ConfigSource;
import dev.portcullis.config.Fields;
import dev.portcullis.config.Hints;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.config.UpstreamConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the configuration tree into a {@link Policy}, collecting every problem on the way. */
final class PolicyCompiler {
  static final Set<String> BUILTIN_LABELS = Set.of("private_data", "untrusted_content", "external_egress");
  private static final Set<String> TOP_KEYS = Set.of("version", "server", "audit", "upstreams", "tools", "labels",
      "agents", "roles", "rules", "budgets");
  private static final Set<String> TOOL_KEYS = Set.of("labels", "description", "cost_usd", "allow_undeclared_arguments");
  private static final Set<String> ROLE_KEYS = Set.of("description", "extends", "grants");

  private final ConfigSource source;
  private final Problems problems;
  private final Path baseDir;

  PolicyCompiler(ConfigSource source, Problems problems) {
    this.source = source;
    this.problems = problems;
    Path first = source.files().isEmpty() ? Path.of("").toAbsolutePath() : source.files().get(0).toAbsolutePath();
    this.baseDir = first.getParent() == null ? Path.of("").toAbsolutePath() : first.getParent();
  }

  /** The compiled policy, or empty when there were errors (all of them are in {@code problems}). */
  Optional<Policy> compile() {
    Fields top = Fields.of(source.root(), "the policy file", problems, TOP_KEYS);
    checkVersion(top);
    ServerConfig server = ConfigSections.server(top.get("server"), baseDir, problems);
    AuditConfig audit = ConfigSections.audit(top.get("audit"), baseDir, problems);
    Map<String, UpstreamConfig> upstreams = ConfigSections.upstreams(top.get("upstreams"), baseDir, server.limits(),
        problems);
    Set<String> labels = labels(top);
    Map<String, Mark> toolMarks = new LinkedHashMap<>();
    Map<String, ToolFacts> facts = tools(top, labels, upstreams.keySet(), toolMarks);
    prewarmConditions(top);
    EntryCompiler entries = new EntryCompiler(problems, labels, upstreams.keySet());
    RoleGraph graph = new RoleGraph(roles(top, entries), problems);
    List<Entry> rules = new ArrayList<>();
    top.get("rules").ifPresent(n -> {
      if (n instanceof Node.SeqNode seq) {
        for (Node item : seq.items()) {
          entries.rule(item).ifPresent(rule -> {
            entries.checkRoleReferences(rule, graph.names(), item);
            rules.add(rule);
          });
        }
      } else {
        problems.error(n.mark(), "rules must be a list, found " + n.describe(), "write each rule as '- id: ...'");
      }
    });
    AgentsCompiler agentsCompiler = new AgentsCompiler(problems, graph);
    Map<String, AgentSpec> agents = agentsCompiler.agents(top.get("agents"));
    Budgets budgets = BudgetsCompiler.budgets(top.get("budgets"), agents.keySet(), problems);
    Lints.run(graph, rules, agents, problems);
    if (problems.hasErrors()) {
      return Optional.empty();
    }
    return Optional.of(new Policy(source, server, audit, upstreams, labels, facts, toolMarks, graph, rules, agents,
        agentsCompiler.keys(), budgets, problems.warnings()));
  }

  /** Finds every when: and rows: expression and compiles them on all cores before the sequential pass. */
  private static void prewarmConditions(Fields top) {
    List<String> when = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    List<Node> entries = new ArrayList<>();
    top.get("rules").filter(Node.SeqNode.class::isInstance).ifPresent(n -> entries.addAll(((Node.SeqNode) n).items()));
    top.get("roles").filter(Node.MapNode.class::isInstance).ifPresent(n -> {
      for (Node.Entry role : ((Node.MapNode) n).entries()) {
        if (role.value() instanceof Node.MapNode r && r.get("grants").orElse(null) instanceof Node.SeqNode grants) {
          entries.addAll(grants.items());
        }
      }
    });
    for (Node e : entries) {
      if (e instanceof Node.MapNode m) {
        m.get("when").filter(w -> w instanceof Node.ScalarNode s && s.value() instanceof String)
            .ifPresent(w -> when.add((String) ((Node.ScalarNode) w).value()));
        m.get("filter").filter(Node.MapNode.class::isInstance).flatMap(f -> ((Node.MapNode) f).get("rows"))
            .filter(w -> w instanceof Node.ScalarNode s && s.value() instanceof String)
            .ifPresent(w -> rows.add((String) ((Node.ScalarNode) w).value()));
      }
    }
    if (when.size() + rows.size() > 8) {
      Condition.prewarm(when, rows);
    }
  }

  private void checkVersion(Fields top) {
    Optional<Node> version = top.get("version");
    if (version.isEmpty()) {
      problems.error(top.mark(), "the policy has no 'version'", "start the file with 'version: 1'");
    } else if (!(version.get() instanceof Node.ScalarNode s && Long.valueOf(1).equals(s.value()))) {
      problems.error(version.get().mark(), "policy version " + version.get().describe() + " is not supported",
          "this Portcullis reads version: 1");
    }
  }

  private Set<String> labels(Fields top) {
    Set<String> labels = new LinkedHashSet<>(BUILTIN_LABELS);
    top.get("labels").ifPresent(n -> {
      if (n instanceof Node.SeqNode) {
        labels.addAll(Fields.texts(n, "labels", problems));
      } else {
        Fields.mapping(n, "labels", problems).entries().forEach(e -> {
          Fields.of(e.value(), "label '" + e.key() + "'", problems, Set.of("description"));
          labels.add(e.key());
        });
      }
    });
    return labels;
  }

  private Map<String, ToolFacts> tools(Fields top, Set<String> labels, Set<String> upstreams,
      Map<String, Mark> marks) {
    Map<String, ToolFacts> out = new LinkedHashMap<>();
    Optional<Node> section = top.get("tools");
    if (section.isEmpty()) {
      return out;
    }
    if (!(section.get() instanceof Node.MapNode map)) {
      problems.error(section.get().mark(), "tools must be a mapping of tool names to facts, found "
          + section.get().describe(), "for example  acme.crm_search: {labels: [private_data]}");
      return out;
    }
    for (Node.Entry e : map.entries()) {
      String name = e.key();
      String ctx = "tool '" + name + "'";
      int dot = name.indexOf('.');
      if (dot <= 0 || dot == name.length() - 1) {
        problems.error(e.keyMark(), ctx + " is not of the form <upstream>.<tool>", "for example acme.crm_search");
      } else if (!upstreams.isEmpty() && !upstreams.contains(name.substring(0, dot))) {
        problems.error(e.keyMark(), ctx + " names upstream '" + name.substring(0, dot) + "', which is not defined",
            Hints.didYouMean(name.substring(0, dot), upstreams, "upstreams"));
      }
      Fields f = Fields.of(e.value(), ctx, problems, TOOL_KEYS);
      List<String> toolLabels = f.strings("labels");
      for (String label : toolLabels) {
        if (!labels.contains(label)) {
          problems.error(f.keyMark("labels"), ctx + " has label '" + label + "', which is not declared",
              Hints.didYouMean(label, labels, "labels") + " (declare custom labels under 'labels:')");
        }
      }
      marks.put(name, e.keyMark());
      out.put(name, new ToolFacts(name, Set.copyOf(toolLabels), f.string("description"), f.number("cost_usd", 0),
          f.bool("allow_undeclared_arguments").orElse(false)));
    }
    return out;
  }

  private Map<String, RoleGraph.Role> roles(Fields top, EntryCompiler entries) {
    Map<String, RoleGraph.Role> out = new LinkedHashMap<>();
    Optional<Node> section = top.get("roles");
    if (section.isEmpty()) {
      return out;
    }
    if (!(section.get() instanceof Node.MapNode map)) {
      problems.error(section.get().mark(), "roles must be a mapping of role names, found " + section.get().describe(),
          "for example  support: {grants: [...]}");
      return out;
    }
    for (Node.Entry e : map.entries()) {
      if (!EntryCompiler.ID.matcher(e.key()).matches()) {
        problems.error(e.keyMark(), "role name '" + e.key() + "' is not allowed", "use letters, digits and _ . : -");
      }
      Fields f = Fields.of(e.value(), "role '" + e.key() + "'", problems, ROLE_KEYS);
      List<Entry> grants = new ArrayList<>();
      f.get("grants").ifPresent(g -> {
        if (g instanceof Node.SeqNode seq) {
          seq.items().forEach(item -> entries.grant(item, e.key()).ifPresent(grants::add));
        } else {
          problems.error(g.mark(), "grants of role '" + e.key() + "' must be a list, found " + g.describe(),
              "write each grant as '- id: ...'");
        }
      });
      out.put(e.key(), new RoleGraph.Role(e.key(), f.string("description", ""), f.strings("extends"), grants,
          e.keyMark(), f.keyMark("extends")));
    }
    return out;
  }
}
