package dev.portcullis.config;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads one YAML file into {@link Node}s with positions, in one pass over SnakeYAML's parser events: no SnakeYAML
 * node graph, no regular expressions per scalar (see {@link Scalars} for how scalars are typed). Duplicate keys, merge
 * keys ({@code <<}) and keys that are structures are reported and their entries dropped; aliases are followed (at most
 * 20 to collections, a cap on "billion laughs") up to {@value Document#MAX_DEPTH} levels; a file holds one document.
 */
final class YamlReader {
  private YamlReader() {}

  static Optional<Node> read(Path file, String text, Problems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with both positions
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(8 * 1024 * 1024);
    try {
      Parser parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
      parser.getEvent(); // stream start
      NodeBuilder builder = new NodeBuilder(file, options);
      Document first = null;
      Node second = null;
      int documents = 0;
      // every document is read, so that a syntax error anywhere in the file is reported
      while (!parser.checkEvent(Event.ID.StreamEnd)) {
        parser.getEvent(); // document start
        Document document = builder.document(parser);
        parser.getEvent(); // document end
        documents++;
        if (first == null) {
          first = document;
        } else if (second == null) {
          second = document.root();
        }
      }
      if (first == null) {
        return Optional.empty();
      }
      List<Problem> found = new ArrayList<>();
      if (second != null) {
        found.add(new Problem(Problem.Severity.ERROR, second.mark(),
            "a policy file holds one YAML document, this one has " + documents,
            "remove the '---' separator or split the documents into separate files of a policy directory"));
      }
      Optional<Node> root = first.withinDepth(found);
      found.forEach(problems::add);
      return root;
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
}
