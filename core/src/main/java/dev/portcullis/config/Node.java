package dev.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value that remembers where it was written, so every configuration error can point at file:line:column.
 */
public sealed interface Node {
  Mark mark();

  /** What this node is, in words, for error messages ("a list", "the text 'abc'"). */
  String describe();

  /** The same value as a Jackson tree (marks dropped). */
  JsonNode toJson();

  /** A mapping; keys are unique (duplicates are reported while reading). */
  record MapNode(Mark mark, List<Entry> entries) implements Node {
    public MapNode {
      entries = List.copyOf(entries);
    }

    public Optional<Node> get(String key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return Optional.of(e.value());
        }
      }
      return Optional.empty();
    }

    public Optional<Entry> entry(String key) {
      return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }

    public Map<String, Node> asMap() {
      Map<String, Node> map = new LinkedHashMap<>();
      entries.forEach(e -> map.put(e.key(), e.value()));
      return map;
    }

    @Override
    public String describe() {
      return "a mapping";
    }

    @Override
    public JsonNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      entries.forEach(e -> node.set(e.key(), e.value().toJson()));
      return node;
    }
  }

  /** One key of a mapping, with the key's own position. */
  record Entry(String key, Mark keyMark, Node value) {}

  /** A sequence. */
  record SeqNode(Mark mark, List<Node> items) implements Node {
    public SeqNode {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }

    @Override
    public JsonNode toJson() {
      ArrayNode node = JsonNodeFactory.instance.arrayNode();
      items.forEach(i -> node.add(i.toJson()));
      return node;
    }
  }

  /**
   * A scalar with its YAML-resolved type: {@code String}, {@code Long}, {@code BigInteger}, {@code Double},
   * {@code BigDecimal}, {@code Boolean}, or {@code null}.
   */
  record ScalarNode(Mark mark, Object value, String text) implements Node {
    public boolean isNull() {
      return value == null;
    }

    @Override
    public String describe() {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return "the text '" + s + "'";
      }
      if (value instanceof Boolean) {
        return "the boolean " + text;
      }
      return "the number " + text;
    }

    @Override
    public JsonNode toJson() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      return switch (value) {
        case null -> f.nullNode();
        case String s -> f.textNode(s);
        case Boolean b -> f.booleanNode(b);
        case Long l -> f.numberNode(l);
        case BigInteger i -> f.numberNode(i);
        case Double d -> f.numberNode(d);
        case BigDecimal d -> f.numberNode(d);
        default -> f.textNode(text);
      };
    }
  }
}
