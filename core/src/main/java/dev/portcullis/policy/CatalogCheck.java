package dev.portcullis.policy;

import dev.portcullis.config.Hints;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Problem;
import dev.portcullis.config.Problems;
import dev.portcullis.model.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks a policy against the tool catalog the upstreams actually offer. */
final class CatalogCheck {
  private CatalogCheck() {}

  static List<Problem> run(Collection<Tool> catalog, Map<String, ToolFacts> facts, Map<String, Mark> toolMarks,
      RoleGraph graph, List<Entry> rules) {
    Set<String> names = new TreeSet<>();
    catalog.forEach(t -> names.add(t.name()));
    Problems problems = new Problems();
    for (String name : facts.keySet()) {
      if (!names.contains(name)) {
        problems.error(toolMarks.getOrDefault(name, Mark.NONE), "tools: '" + name + "' is not offered by any upstream",
            Hints.closest(name, names).map(c -> "did you mean '" + c + "'?")
                .orElse("check the name; tools are named <upstream>.<tool>"));
      }
    }
    List<Entry> all = new ArrayList<>(rules);
    graph.names().forEach(r -> all.addAll(graph.role(r).grants()));
    for (Entry e : all) {
      for (String pattern : e.tools.sources()) {
        NamePattern p = new NamePattern(List.of(pattern));
        if (names.stream().noneMatch(p::matches)) {
          problems.warning(e.mark, e.label() + " names tool pattern '" + pattern + "', which matches no tool of the "
              + "catalog", NamePattern.isLiteral(pattern)
                  ? Hints.closest(pattern, names).map(c -> "did you mean '" + c + "'?").orElse("check the name")
                  : "check the pattern against tools/list");
        }
      }
    }
    return problems.all();
  }
}
