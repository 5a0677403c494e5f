package dev.portcullis.policy;

import dev.portcullis.config.Fields;
import dev.portcullis.config.Hints;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Compiles grants (inside roles) and rules (top level) into {@link Entry} objects. */
final class EntryCompiler {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
  static final Set<String> RESERVED_IDS = Set.of("default-deny", "unknown-agent", "schema", "limits");
  private static final Set<String> GRANT_KEYS = Set.of("id", "description", "hint", "effect", "tools", "prompts",
      "resources", "tool_labels", "when", "args", "filter", "approval");
  private static final Set<String> RULE_KEYS;

  static {
    Set<String> keys = new HashSet<>(GRANT_KEYS);
    keys.add("agents");
    keys.add("roles");
    RULE_KEYS = Set.copyOf(keys);
  }

  private final Problems problems;
  private final Set<String> labels;
  private final Set<String> upstreams;
  private final Map<String, dev.portcullis.config.Mark> ids = new java.util.HashMap<>();
  private int order;

  EntryCompiler(Problems problems, Set<String> labels, Set<String> upstreams) {
    this.problems = problems;
    this.labels = labels;
    this.upstreams = upstreams;
  }

  Optional<Entry> grant(Node node, String role) {
    return compile(node, Entry.Kind.GRANT, role, "role '" + role + "'");
  }

  Optional<Entry> rule(Node node) {
    return compile(node, Entry.Kind.RULE, "", "rules");
  }

  /** Rule selectors are checked after roles are known. */
  void checkRoleReferences(Entry rule, Set<String> roles, Node node) {
    if (rule.roles == null) {
      return;
    }
    for (String r : rule.roles) {
      if (!roles.contains(r)) {
        problems.error(node.mark(), "rule '" + rule.id + "' selects role '" + r + "', which is not defined",
            Hints.didYouMean(r, roles, "roles"));
      }
    }
  }

  private Optional<Entry> compile(Node node, Entry.Kind kind, String role, String where) {
    String word = kind == Entry.Kind.GRANT ? "grant" : "rule";
    Fields f = Fields.of(node, "a " + word + " of " + where, problems, kind == Entry.Kind.GRANT ? GRANT_KEYS : RULE_KEYS);
    Optional<String> id = f.string("id");
    if (id.isEmpty()) {
      problems.error(f.mark(), "a " + word + " of " + where + " has no id",
          "give every grant and rule an id (it appears in denials and the audit log), e.g. id: read-customers");
      return Optional.empty();
    }
    String ctx = word + " '" + id.get() + "'";
    int errorsBefore = problems.errorCount();
    if (!ID.matcher(id.get()).matches() || RESERVED_IDS.contains(id.get())) {
      problems.error(f.keyMark("id"), ctx + ": id must be letters, digits and _ . : - (and not one of "
          + String.join(", ", RESERVED_IDS) + ")", "");
    }
    dev.portcullis.config.Mark previous = ids.putIfAbsent(id.get(), f.keyMark("id"));
    if (previous != null) {
      problems.error(f.keyMark("id"), ctx + ": id is used twice (also at " + previous + ")",
          "ids must be unique across all grants and rules, since denials and audit entries name them");
    }
    Effect effect = Effect.ALLOW;
    if (f.string("effect").isPresent()) {
      effect = Effect.parse(f.string("effect").get());
      if (effect == null) {
        problems.error(f.get("effect").get().mark(), ctx + ": effect '" + f.string("effect").get() + "' is not known",
            Hints.closest(f.string("effect").get(), List.of("allow", "deny", "require_approval", "dry_run"))
                .map(c -> "did you mean '" + c + "'?").orElse("use allow, deny, require_approval or dry_run"));
        effect = Effect.DENY;
      }
    } else if (kind == Entry.Kind.RULE) {
      problems.error(f.mark(), ctx + " has no effect", "rules apply to everyone, so say what they do: effect: deny");
    }
    List<String> tools = patterns(f, "tools", ctx, true);
    List<String> prompts = patterns(f, "prompts", ctx, false);
    List<String> resources = patterns(f, "resources", ctx, false);
    Set<String> toolLabels = new LinkedHashSet<>(f.strings("tool_labels"));
    for (String label : toolLabels) {
      if (!labels.contains(label)) {
        problems.error(f.keyMark("tool_labels"), ctx + " refers to label '" + label + "', which is not declared",
            Hints.didYouMean(label, labels, "labels") + " (declare custom labels under 'labels:')");
      }
    }
    if (tools.isEmpty() && prompts.isEmpty() && resources.isEmpty()) {
      if (!toolLabels.isEmpty()) {
        tools = List.of("*");
      } else {
        problems.error(f.mark(), ctx + " matches nothing", "list what it covers under tools:, prompts: or resources: "
            + "(patterns such as acme.crm_search, acme.*, or *), or select tools by tool_labels:");
      }
    }
    Condition when = f.string("when").flatMap(src -> Condition.compile(src, f.get("when").get().mark(),
        Condition.Scope.CALL, ctx, problems)).orElse(null);
    Tightening args = f.get("args").flatMap(n -> Tightening.compile(n, ctx, problems)).orElse(null);
    RowFilter filter = null;
    if (f.get("filter").isPresent()) {
      if (effect != Effect.ALLOW) {
        problems.error(f.keyMark("filter"), ctx + ": only allow grants can filter results",
            "move the filter to the grant that allows the call");
      } else {
        filter = RowFilter.compile(f.get("filter").get(), id.get(), ctx, problems).orElse(null);
      }
    }
    ApprovalSpec approval = null;
    if (f.get("approval").isPresent()) {
      if (effect != Effect.REQUIRE_APPROVAL) {
        problems.error(f.keyMark("approval"), ctx + ": 'approval' only applies with effect: require_approval", "");
      } else {
        approval = approval(f.get("approval").get(), ctx);
      }
    } else if (effect == Effect.REQUIRE_APPROVAL) {
      approval = ApprovalSpec.DEFAULT;
    }
    NamePattern agents = null;
    Set<String> roles = null;
    if (kind == Entry.Kind.RULE) {
      agents = f.has("agents") ? new NamePattern(f.strings("agents")) : null;
      roles = f.has("roles") ? Set.copyOf(f.strings("roles")) : null;
    }
    if (problems.errorCount() > errorsBefore) {
      return Optional.empty();
    }
    return Optional.of(new Entry(id.get(), kind, role, f.string("description", ""), f.string("hint", ""), effect,
        f.mark(), order++, pattern(tools), pattern(prompts), pattern(resources), toolLabels, when, args, filter,
        approval, agents, roles));
  }

  private static NamePattern pattern(List<String> list) {
    return list.isEmpty() ? NamePattern.NONE : new NamePattern(list);
  }

  private List<String> patterns(Fields f, String key, String ctx, boolean toolNames) {
    List<String> list = f.strings(key);
    for (String p : list) {
      if (p.isEmpty()) {
        problems.error(f.keyMark(key), ctx + " has an empty pattern in " + key, "");
        continue;
      }
      if (toolNames && !upstreams.isEmpty() && !p.equals("*")) {
        int dot = p.indexOf('.');
        String prefix = dot < 0 ? p : p.substring(0, dot);
        if (!prefix.contains("*") && !upstreams.contains(prefix)) {
          problems.error(f.keyMark(key), ctx + " names tool '" + p + "', but there is no upstream '" + prefix + "'",
              "tools are named <upstream>.<tool>; " + Hints.didYouMean(prefix, upstreams, "upstreams"));
        }
      }
    }
    return list;
  }

  private ApprovalSpec approval(Node node, String ctx) {
    Fields f = Fields.of(node, "approval of " + ctx, problems, Set.of("approvers", "timeout", "wait"));
    String wait = f.string("wait", "sync");
    if (!wait.equals("sync") && !wait.equals("async")) {
      problems.error(f.get("wait").get().mark(), "wait of " + ctx + " must be sync or async, found '" + wait + "'",
          "sync holds the call until decided; async answers at once and the agent retries");
    }
    return new ApprovalSpec(f.strings("approvers"), f.duration("timeout").orElse(ApprovalSpec.DEFAULT.timeout()), wait);
  }
}
