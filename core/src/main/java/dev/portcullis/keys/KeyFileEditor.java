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
 * Adds a key entry to an agent in a policy file's text (or replaces all of its keys, or sets its version), leaving
 * everything else (comments, order, layout) as it was: each edit is a text change at a position found from the parsed
 * YAML, not a re-serialization.
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

  /**
   * The text with every key of {@code agents.<agentId>} replaced by {@code key} alone: the old keys are revoked.
   *
   * @throws IllegalArgumentException as {@link #addKey} does
   */
  public static String replaceKeys(String text, String agentId, ApiKeys.NewKey key) {
    MappingNode agent = agent(text, agentId);
    Optional<Node> keys = child(agent, "keys");
    if (keys.isEmpty() || !(keys.get() instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
      return addKey(text, agentId, key);
    }
    int start = seq.getStartMark().getIndex();
    int end = seq.getFlowStyle() == DumperOptions.FlowStyle.FLOW ? seq.getEndMark().getIndex()
        : seq.getValue().get(seq.getValue().size() - 1).getEndMark().getIndex();
    String entry = "{ id: " + key.keyId() + ", hash: \"" + key.storedHash() + "\" }";
    String replacement = seq.getFlowStyle() == DumperOptions.FlowStyle.FLOW ? "[ " + entry + " ]" : "- " + entry;
    return text.substring(0, start) + replacement + text.substring(end);
  }

  /**
   * The text with {@code agents.<agentId>.version} set to {@code version}: the scalar replaced where it is declared,
   * the key added after the agent's last entry where it is not.
   *
   * @throws IllegalArgumentException when the file has no such agent, or its version is not a plain value
   */
  public static String setVersion(String text, String agentId, String version) {
    if (!version.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
      throw new IllegalArgumentException("version '" + version + "' must be 1-64 letters, digits, '.', '_', '+' or"
          + " '-', starting with a letter or digit");
    }
    MappingNode agent = agent(text, agentId);
    Optional<Node> current = child(agent, "version");
    if (current.isPresent()) {
      if (!(current.get() instanceof ScalarNode scalar)) {
        throw new IllegalArgumentException("version of agent '" + agentId + "' is not a plain value");
      }
      return text.substring(0, scalar.getStartMark().getIndex()) + version
          + text.substring(scalar.getEndMark().getIndex());
    }
    if (agent.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
      int close = agent.getEndMark().getIndex() - 1; // the '}'
      String sep = agent.getValue().isEmpty() ? " " : ", ";
      return text.substring(0, close).stripTrailing() + sep + "version: " + version + " " + text.substring(close);
    }
    NodeTuple lastTuple = agent.getValue().get(agent.getValue().size() - 1);
    int column = agent.getValue().get(0).getKeyNode().getStartMark().getColumn();
    int insertAt = lineEnd(text, lastTuple.getValueNode().getEndMark().getIndex() - 1);
    return text.substring(0, insertAt) + "\n" + " ".repeat(column) + "version: " + version + text.substring(insertAt);
  }

  /** The {@code version} the agent declares in this text, if it declares one (else its version is a hash). */
  public static Optional<String> declaredVersion(String text, String agentId) {
    return child(agent(text, agentId), "version").filter(ScalarNode.class::isInstance)
        .map(n -> ((ScalarNode) n).getValue());
  }

  private static MappingNode agent(String text, String agentId) {
    Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    MappingNode agents = child(root, "agents").filter(MappingNode.class::isInstance).map(MappingNode.class::cast)
        .orElseThrow(() -> new IllegalArgumentException("the file has no 'agents' section"));
    Node agent = child(agents, agentId).orElseThrow(() -> new IllegalArgumentException(
        "agent '" + agentId + "' is not defined in this file"));
    if (!(agent instanceof MappingNode agentMap) || agentMap.getValue().isEmpty()) {
      throw new IllegalArgumentException("agent '" + agentId + "' is not a mapping with entries");
    }
    return agentMap;
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
