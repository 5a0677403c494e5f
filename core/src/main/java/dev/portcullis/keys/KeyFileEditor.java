package dev.portcullis.keys;

import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Adds a key entry to an agent in a policy file's text, leaving everything else (comments, order, layout) as it was:
 * the edit is a text insertion at a position found from the parsed YAML, not a re-serialization.
 */
public final class KeyFileEditor {
  private KeyFileEditor() {}

  /**
   * The text with {@code key} added under {@code agents.<agentId>.keys}.
   *
   * @throws IllegalArgumentException when the file has no such agent or its layout is one this editor cannot extend
   *     (the message says which, so the user can paste the line by hand)
   */
  public static String addKey(String text, String agentId, ApiKeys.NewKey key) {
    Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    MappingNode agents = child(root, "agents").filter(MappingNode.class::isInstance).map(MappingNode.class::cast)
        .orElseThrow(() -> new IllegalArgumentException("the file has no 'agents' section"));
    Node agent = child(agents, agentId).orElseThrow(() -> new IllegalArgumentException(
        "agent '" + agentId + "' is not defined in this file"));
    String entry = "{ id: " + key.keyId() + ", hash: \"" + key.storedHash() + "\" }";
    if (!(agent instanceof MappingNode agentMap)) {
      throw new IllegalArgumentException("agent '" + agentId + "' is not a mapping");
    }
    Optional<Node> keys = child(agentMap, "keys");
    if (keys.isPresent() && keys.get() instanceof SequenceNode seq) {
      if (seq.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
        int close = seq.getEndMark().getIndex() - 1; // the ']'
        String sep = seq.getValue().isEmpty() ? " " : ", ";
        return text.substring(0, close).stripTrailing() + sep + entry + " " + text.substring(close);
      }
      Node last = seq.getValue().get(seq.getValue().size() - 1);
      int dashColumn = last.getStartMark().getColumn() - 2;
      int insertAt = lineEnd(text, last.getEndMark().getIndex() - 1);
      return text.substring(0, insertAt) + "\n" + " ".repeat(Math.max(0, dashColumn)) + "- " + entry
          + text.substring(insertAt);
    }
    if (keys.isPresent()) {
      throw new IllegalArgumentException("keys of agent '" + agentId + "' is not a list");
    }
    if (agentMap.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
      int close = agentMap.getEndMark().getIndex() - 1; // the '}'
      String sep = agentMap.getValue().isEmpty() ? " " : ", ";
      return text.substring(0, close).stripTrailing() + sep + "keys: [ " + entry + " ] " + text.substring(close);
    }
    NodeTuple lastTuple = agentMap.getValue().get(agentMap.getValue().size() - 1);
    int column = agentMap.getValue().get(0).getKeyNode().getStartMark().getColumn();
    int insertAt = lineEnd(text, lastTuple.getValueNode().getEndMark().getIndex() - 1);
    return text.substring(0, insertAt) + "\n" + " ".repeat(column) + "keys:\n" + " ".repeat(column + 2) + "- " + entry
        + text.substring(insertAt);
  }

  private static Optional<Node> child(Node map, String key) {
    if (!(map instanceof MappingNode m)) {
      return Optional.empty();
    }
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return Optional.of(t.getValueNode());
      }
    }
    return Optional.empty();
  }

  /** The index of the end of the line holding {@code index} (before its newline). */
  private static int lineEnd(String text, int index) {
    int nl = text.indexOf('\n', Math.max(0, index));
    return nl < 0 ? text.length() : nl;
  }
}
