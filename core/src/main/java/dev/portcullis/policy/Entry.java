package dev.portcullis.policy;

import dev.portcullis.config.Mark;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One compiled grant (inside a role) or rule (cross-cutting): what it matches and what it does. Immutable; shared by
 * every agent holding the role.
 */
final class Entry {
  enum Kind {
    GRANT,
    RULE
  }

  /** The kinds of things an MCP call can target. */
  enum Target {
    TOOL("tool"),
    PROMPT("prompt"),
    RESOURCE("resource");

    final String word;

    Target(String word) {
      this.word = word;
    }
  }

  final String id;
  final Kind kind;
  /** The role a grant belongs to; empty for rules. */
  final String role;
  final String description;
  /** Advice for the agent when this entry denies (or when a call misses it); empty for a generated hint. */
  final String hint;
  final Effect effect;
  final Mark mark;
  /** Position in the policy, for a stable order among entries of equal effect. */
  final int order;
  final NamePattern tools;
  final NamePattern prompts;
  final NamePattern resources;
  final Set<String> toolLabels;
  final Condition when;
  final Tightening args;
  final RowFilter filter;
  final ApprovalSpec approval;
  /** Rule selectors; null means every agent / every role. */
  final NamePattern agents;
  final Set<String> roles;
  /** Precomputed so an allow costs no string building on the hot path. */
  final String allowReason;
  final Optional<dev.portcullis.model.ResultFilter> filterOption;

  Entry(String id, Kind kind, String role, String description, String hint, Effect effect, Mark mark, int order,
      NamePattern tools, NamePattern prompts, NamePattern resources, Set<String> toolLabels, Condition when,
      Tightening args, RowFilter filter, ApprovalSpec approval, NamePattern agents, Set<String> roles) {
    this.id = id;
    this.kind = kind;
    this.role = role;
    this.description = description;
    this.hint = hint;
    this.effect = effect;
    this.mark = mark;
    this.order = order;
    this.tools = tools;
    this.prompts = prompts;
    this.resources = resources;
    this.toolLabels = Set.copyOf(toolLabels);
    this.when = when;
    this.args = args;
    this.filter = filter;
    this.approval = approval;
    this.agents = agents;
    this.roles = roles;
    this.allowReason = "allowed by " + label() + (description.isEmpty() ? "" : ": " + description);
    this.filterOption = Optional.ofNullable(filter);
  }

  NamePattern patterns(Target target) {
    return switch (target) {
      case TOOL -> tools;
      case PROMPT -> prompts;
      case RESOURCE -> resources;
    };
  }

  boolean unconditional() {
    return when == null && args == null;
  }

  /** Whether the tool's labels satisfy {@code tool_labels} (any one of them is enough). */
  boolean labelsMatch(Set<String> a, Set<String> b) {
    if (toolLabels.isEmpty()) {
      return true;
    }
    for (String label : toolLabels) {
      if (a.contains(label) || b.contains(label)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this rule applies to an agent with these effective roles (grants always apply to their holders). */
  boolean selects(String agentId, Set<String> effectiveRoles) {
    if (agents != null && !agents.matches(agentId)) {
      return false;
    }
    if (roles != null) {
      for (String r : roles) {
        if (effectiveRoles.contains(r)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  String word() {
    return kind == Kind.GRANT ? "grant" : "rule";
  }

  /** "grant small-refunds (role billing)" */
  String label() {
    return kind == Kind.GRANT ? "grant " + id + " (role " + role + ")" : "rule " + id;
  }

  Optional<String> describedAs() {
    return description.isEmpty() ? Optional.empty() : Optional.of(description);
  }

  List<String> targetsIn(Target target) {
    return patterns(target).sources();
  }

  @Override
  public String toString() {
    return label();
  }
}
