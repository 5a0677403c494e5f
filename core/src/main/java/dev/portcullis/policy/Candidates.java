package dev.portcullis.policy;

import dev.portcullis.model.Decision;

/**
 * What can decide calls to one target name for one agent view, computed once: the matching entries in precedence
 * order and, per entry, the decision it gives when it applies and the denial when its condition does not hold, plus the
 * default denial. Every text a decision carries is constant for the name, so deciding builds no strings.
 */
record Candidates(Entry[] entries, Decision[] decisions, Decision[] unmet, Decision defaultDeny) {
  static Candidates of(AgentView view, Entry.Target target, String name, Entry[] entries) {
    Decision[] decisions = new Decision[entries.length];
    Decision[] unmet = new Decision[entries.length];
    for (int i = 0; i < entries.length; i++) {
      decisions[i] = Decisions.of(entries[i], target, name);
      unmet[i] = entries[i].when == null ? null : Decisions.conditionUnmet(entries[i], name);
    }
    return new Candidates(entries, decisions, unmet, Decisions.defaultDeny(view, target, name));
  }
}
