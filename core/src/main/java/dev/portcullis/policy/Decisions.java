package dev.portcullis.policy;

import dev.portcullis.model.Decision;
import java.util.LinkedHashSet;
import java.util.List;

/** The decisions the engine gives, with reasons and hints written for the agent that reads them. */
final class Decisions {
  static final String DOCS = "docs/checks/";

  private Decisions() {}

  /** What entry {@code e} decides for {@code name} when it applies. */
  static Decision of(Entry e, Entry.Target target, String name) {
    String because = e.describedAs().map(d -> ": " + d).orElse("");
    return switch (e.effect) {
      case ALLOW -> new Decision.Allow(e.id, e.allowReason, e.filterOption);
      case DENY -> new Decision.Deny(e.id, target.word + " " + name + " is denied by " + e.label() + because,
          (e.hint.isEmpty() ? "do not retry this call; it will be denied while the rule applies" : e.hint)
              + " (see " + DOCS + (e.kind == Entry.Kind.RULE && !e.toolLabels.isEmpty() ? "flow-rules.md)"
                  : "deny-rules.md)"));
      case REQUIRE_APPROVAL -> new Decision.NeedsApproval(e.id, target.word + " " + name + " needs a human's approval "
          + "under " + e.label() + because);
      case DRY_RUN -> new Decision.DryRun(e.id, target.word + " " + name + " runs as a dry run under " + e.label()
          + because);
    };
  }

  /** The denial when the first non-deny entry whose condition did not hold is the closest thing to a grant. */
  static Decision conditionUnmet(Entry e, String name) {
    return new Decision.Deny(e.id,
        e.word() + " " + e.id + " allows " + name + " only when " + e.when.source + ", which does not hold for this call",
        (e.hint.isEmpty()
            ? e.describedAs().map(d -> "the grant says: " + d).orElse("change the call so the condition holds")
            : e.hint) + " (see " + DOCS + "conditions.md)");
  }

  static Decision conditionError(Entry e, Entry.Target target, String name, Exception ex) {
    String error = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    return new Decision.Deny(e.id, "the condition of " + e.label() + " (" + e.when.source + ") could not be "
        + "evaluated for " + target.word + " " + name + ": " + error + "; the call is denied",
        "check that the call carries the arguments the condition reads (see " + DOCS + "condition-error.md)");
  }

  /** Names the allow grant that came closest (or the first), and what every failed grant would have admitted. */
  static Decision tighteningDeny(String name, List<Entry> entries, List<ArgConstraint.Failure> failures) {
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

  /** Nothing applies: say which roles were looked at and what the agent may use instead. */
  static Decision defaultDeny(AgentView view, Entry.Target target, String name) {
    return new Decision.Deny("default-deny", "agent '" + view.agentId + "' may not use " + target.word + " " + name
        + ": no grant of its roles (" + String.join(", ", view.roles) + ") covers it",
        view.grantedHint(target) + " (see " + DOCS + "default-deny.md)");
  }

  /** "tools you may use: a, b, ...; list them with tools/list", from the agent's non-deny entries. */
  static String grantedHint(List<Entry> entries, Entry.Target target) {
    LinkedHashSet<String> granted = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (e.effect != Effect.DENY) {
        granted.addAll(e.targetsIn(target));
      }
    }
    if (granted.isEmpty()) {
      return "you hold no grant for any " + target.word + "; ask the operator for one";
    }
    List<String> shown = granted.stream().limit(15).toList();
    return target.word + "s you may use: " + String.join(", ", shown) + (granted.size() > shown.size() ? ", ..." : "")
        + "; list them with " + (target == Entry.Target.TOOL ? "tools/list" : target == Entry.Target.PROMPT
            ? "prompts/list" : "resources/list");
  }
}
