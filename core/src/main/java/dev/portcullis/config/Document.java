package dev.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One YAML document as {@link NodeBuilder} built it. Aliases share the node they name, so the tree is a graph; only
 * where aliases nest it deeper than {@link #MAX_DEPTH} is it unfolded, level by level, to cut it there.
 *
 * @param root the root node
 * @param height how deep the tree reaches below the root with aliases unfolded
 * @param problems the problems found while building, in document order, repeated for each use of an alias
 * @param skips for each mapping that dropped entries (duplicate, merge or non-scalar keys), those problems and where
 * @param recursive placeholders for aliases inside the collection they name, each to that collection
 * @param recursiveAlias the first such alias, if any
 */
record Document(Node root, int height, List<Problem> problems, Map<Node.MapNode, List<Skip>> skips,
    Map<Node, Node> recursive, Mark recursiveAlias) {
  static final int MAX_DEPTH = 64;
  /** Most nodes unfolding may visit: an alias repeated inside the collection it names doubles them at every level. */
  static final int EXPANSION_LIMIT = 1_000_000;

  /** A problem of a dropped mapping entry, reported before the entry at index {@code before} of the kept ones. */
  record Skip(int before, Problem problem) {}

  /**
   * The root with nothing deeper than {@link #MAX_DEPTH}, adding this document's problems to {@code sink}; empty when
   * recursive aliases unfold beyond {@link #EXPANSION_LIMIT} nodes.
   */
  Optional<Node> withinDepth(List<Problem> sink) {
    if (height <= MAX_DEPTH) {
      sink.addAll(problems);
      return Optional.of(root);
    }
    Unfolding unfolding = new Unfolding();
    try {
      Node node = unfolding.unfold(root, 0);
      sink.addAll(unfolding.problems);
      return Optional.of(node);
    } catch (TooLarge e) {
      Mark at = recursiveAlias != null ? recursiveAlias : root.mark();
      sink.add(new Problem(Problem.Severity.ERROR, at, "aliases unfold into more than " + EXPANSION_LIMIT
          + " nodes (an alias inside the collection it names?)",
          "remove the alias that refers to a collection containing it, or flatten the structure"));
      return Optional.empty();
    }
  }

  /** Walks the graph as a tree, depth first, reporting each node's problems at each of its uses. */
  private final class Unfolding {
    final List<Problem> problems = new ArrayList<>();
    int visits;

    Node unfold(Node reached, int depth) {
      if (++visits > EXPANSION_LIMIT) {
        throw new TooLarge();
      }
      Node node = recursive.getOrDefault(reached, reached);
      if (depth > MAX_DEPTH) {
        problems.add(new Problem(Problem.Severity.ERROR, node.mark(),
            "nesting deeper than " + MAX_DEPTH + " levels (recursive alias?)", "flatten the structure"));
        return new Node.ScalarNode(node.mark(), null, "");
      }
      return switch (node) {
        case Node.MapNode map -> {
          List<Skip> skipped = skips.getOrDefault(map, List.of());
          List<Node.Entry> entries = new ArrayList<>();
          int next = 0;
          for (Node.Entry e : map.entries()) {
            while (next < skipped.size() && skipped.get(next).before() == entries.size()) {
              problems.add(skipped.get(next++).problem());
            }
            entries.add(new Node.Entry(e.key(), e.keyMark(), unfold(e.value(), depth + 1)));
          }
          skipped.subList(next, skipped.size()).forEach(s -> problems.add(s.problem()));
          yield new Node.MapNode(map.mark(), entries);
        }
        case Node.SeqNode seq -> {
          List<Node> items = new ArrayList<>();
          for (Node item : seq.items()) {
            items.add(unfold(item, depth + 1));
          }
          yield new Node.SeqNode(seq.mark(), items);
        }
        case Node.ScalarNode scalar -> scalar;
      };
    }
  }

  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }
}
