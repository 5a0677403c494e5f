package dev.portcullis.config;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The reader {@link YamlReader} replaced, kept verbatim as the reference its differential test compares against:
 * SnakeYAML composes a node graph (resolving every plain scalar's type with the Resolver's regular expressions), then
 * this class converts that graph to {@link Node}s. It unfolds aliases by walking the graph as a tree, so an alias
 * repeated inside the collection it names ({@code a: &a [*a, *a]}) makes it walk for ever; the tests leave such inputs
 * out.
 */
final class ComposingYamlReader {
  private static final int MAX_DEPTH = 64;

  private ComposingYamlReader() {}

  static Optional<Node> read(Path file, String text, Problems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with both positions
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(8 * 1024 * 1024);
    try {
      List<org.yaml.snakeyaml.nodes.Node> docs = new ArrayList<>();
      new Yaml(options).composeAll(new java.io.StringReader(text)).forEach(docs::add);
      docs.removeIf(d -> d == null);
      if (docs.isEmpty()) {
        return Optional.empty();
      }
      if (docs.size() > 1) {
        problems.error(mark(file, docs.get(1).getStartMark()),
            "a policy file holds one YAML document, this one has " + docs.size(),
            "remove the '---' separator or split the documents into separate files of a policy directory");
      }
      return Optional.of(convert(file, docs.get(0), problems, 0));
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() == null ? new Mark(file, 1, 1) : mark(file, e.getProblemMark());
      problems.error(at, "YAML syntax error: " + e.getProblem()
          + (e.getContext() == null ? "" : " (" + e.getContext() + ")"),
          "check indentation and quoting near this position; a value containing ': ' or starting with '*', '&', '!' "
              + "or '@' needs quotes");
      return Optional.empty();
    } catch (YAMLException e) {
      problems.error(new Mark(file, 1, 1), "YAML cannot be read: " + e.getMessage(), "");
      return Optional.empty();
    }
  }

  private static Mark mark(Path file, org.yaml.snakeyaml.error.Mark m) {
    return new Mark(file, m.getLine() + 1, m.getColumn() + 1);
  }

  private static Node convert(Path file, org.yaml.snakeyaml.nodes.Node node, Problems problems, int depth) {
    Mark at = mark(file, node.getStartMark());
    if (depth > MAX_DEPTH) {
      problems.error(at, "nesting deeper than " + MAX_DEPTH + " levels (recursive alias?)", "flatten the structure");
      return new Node.ScalarNode(at, null, "");
    }
    return switch (node) {
      case MappingNode map -> {
        List<Node.Entry> entries = new ArrayList<>();
        Map<String, Mark> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
          Mark keyMark = mark(file, tuple.getKeyNode().getStartMark());
          if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
            problems.error(keyMark, "a mapping key must be plain text, found a nested structure", "write the key as text");
            continue;
          }
          if (key.getTag().equals(Tag.MERGE)) {
            problems.error(keyMark, "YAML merge keys ('<<') are not supported in policy files",
                "use role 'extends' or repeat the keys explicitly");
            continue;
          }
          Mark first = seen.putIfAbsent(key.getValue(), keyMark);
          if (first != null) {
            problems.error(keyMark, "duplicate key '" + key.getValue() + "' (first defined at " + first + ")",
                "remove one of the two; YAML keeps only one silently, Portcullis refuses to guess");
            continue;
          }
          entries.add(new Node.Entry(key.getValue(), keyMark, convert(file, tuple.getValueNode(), problems, depth + 1)));
        }
        yield new Node.MapNode(at, entries);
      }
      case SequenceNode seq -> {
        List<Node> items = new ArrayList<>();
        for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
          items.add(convert(file, item, problems, depth + 1));
        }
        yield new Node.SeqNode(at, items);
      }
      case ScalarNode scalar -> new Node.ScalarNode(at, scalarValue(scalar), scalar.getValue());
      default -> {
        problems.error(at, "unsupported YAML node " + node.getNodeId(), "");
        yield new Node.ScalarNode(at, null, "");
      }
    };
  }

  static Object scalarValue(ScalarNode scalar) {
    String text = scalar.getValue();
    Tag tag = scalar.getTag();
    try {
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      if (tag.equals(Tag.BOOL)) {
        String lower = text.toLowerCase();
        return lower.equals("true") ? Boolean.TRUE : lower.equals("false") ? Boolean.FALSE : text;
      }
      if (tag.equals(Tag.INT)) {
        return integer(text.replace("_", ""));
      }
      if (tag.equals(Tag.FLOAT)) {
        String t = text.replace("_", "").toLowerCase();
        return switch (t) {
          case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
          case "-.inf" -> Double.NEGATIVE_INFINITY;
          case ".nan" -> Double.NaN;
          default -> Double.parseDouble(t);
        };
      }
    } catch (NumberFormatException e) {
      return text;
    }
    return text;
  }

  private static Object integer(String t) {
    boolean negative = t.startsWith("-");
    String digits = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
    int radix = 10;
    if (digits.startsWith("0x")) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.startsWith("0o")) {
      radix = 8;
      digits = digits.substring(2);
    } else if (digits.startsWith("0b")) {
      radix = 2;
      digits = digits.substring(2);
    }
    BigInteger value = new BigInteger(digits, radix);
    value = negative ? value.negate() : value;
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }
}
