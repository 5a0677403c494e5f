package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A grant's {@code args:}: one JSON Schema per argument, applied on top of the tool's own schema. An entry matches only
 * when every constrained argument is present and satisfies its schema (a constraint on an argument the call leaves
 * out would otherwise be a way around it).
 */
final class Tightening {
  private final List<ArgConstraint> constraints;

  private Tightening(List<ArgConstraint> constraints) {
    this.constraints = List.copyOf(constraints);
  }

  static Optional<Tightening> compile(Node node, String context, Problems problems) {
    if (!(node instanceof Node.MapNode map) || map.entries().isEmpty()) {
      problems.error(node.mark(), "args of " + context + " must map argument names to JSON Schemas, found "
          + node.describe(), "for example args: {amount: {maximum: 100}, path: {pattern: \"^/reports/\"}}");
      return Optional.empty();
    }
    List<ArgConstraint> out = new ArrayList<>();
    boolean ok = true;
    for (Node.Entry e : map.entries()) {
      Optional<ArgConstraint> c = ArgConstraint.compile(e.key(), e.value(), "args." + e.key() + " of " + context,
          problems);
      c.ifPresent(out::add);
      ok &= c.isPresent();
    }
    return ok ? Optional.of(new Tightening(out)) : Optional.empty();
  }

  /** The first failing argument, or null when all pass. */
  ArgConstraint.Failure check(JsonNode arguments) {
    for (ArgConstraint c : constraints) {
      ArgConstraint.Failure f = c.check(arguments == null ? null : arguments.get(c.argument));
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  String describe() {
    return String.join("; ", constraints.stream().map(ArgConstraint::describe).toList());
  }
}
