package dev.portcullis.policy;

import dev.portcullis.config.Hints;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Roles and their {@code extends} edges, expanded once at load into each role's closure (the role itself first, then
 * what it extends, depth first). A cycle is a load error naming the whole cycle.
 */
final class RoleGraph {
  /** One role as declared. */
  record Role(String name, String description, List<String> extendsRoles, List<Entry> grants, Mark mark,
      Mark extendsMark) {}

  private final Map<String, Role> roles;
  private final Map<String, List<String>> closures = new LinkedHashMap<>();

  RoleGraph(Map<String, Role> roles, Problems problems) {
    this.roles = roles;
    for (Role r : roles.values()) {
      for (String parent : r.extendsRoles()) {
        if (!roles.containsKey(parent)) {
          problems.error(r.extendsMark(), "role '" + r.name() + "' extends '" + parent + "', which is not defined",
              Hints.didYouMean(parent, roles.keySet(), "roles"));
        }
      }
    }
    for (String name : roles.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> cycle = findCycle(name, path, new LinkedHashSet<>());
      if (cycle != null && cycle.get(0).equals(name)) {
        problems.error(roles.get(name).extendsMark(), "roles extend each other in a cycle: "
            + String.join(" extends ", cycle), "remove one 'extends' so that the chain ends");
      }
    }
    for (String name : roles.keySet()) {
      LinkedHashSet<String> closure = new LinkedHashSet<>();
      expand(name, closure);
      closures.put(name, List.copyOf(closure));
    }
  }

  private List<String> findCycle(String name, List<String> path, Set<String> onPath) {
    if (onPath.contains(name)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return cycle;
    }
    Role r = roles.get(name);
    if (r == null) {
      return null;
    }
    onPath.add(name);
    path.add(name);
    for (String parent : r.extendsRoles()) {
      List<String> c = findCycle(parent, path, onPath);
      if (c != null) {
        return c;
      }
    }
    path.remove(path.size() - 1);
    onPath.remove(name);
    return null;
  }

  private void expand(String name, LinkedHashSet<String> into) {
    Role r = roles.get(name);
    if (r == null || !into.add(name)) {
      return;
    }
    r.extendsRoles().forEach(p -> expand(p, into));
  }

  Set<String> names() {
    return roles.keySet();
  }

  Role role(String name) {
    return roles.get(name);
  }

  /** The effective roles of someone holding {@code held}, in a stable order. */
  LinkedHashSet<String> closure(Iterable<String> held) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String r : held) {
      List<String> c = closures.get(r);
      if (c != null) {
        out.addAll(c);
      }
    }
    return out;
  }
}
