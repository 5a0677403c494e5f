package dev.portcullis.config;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.ComposerException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;

/**
 * Builds {@link Node}s straight from SnakeYAML's parser events, one document at a time, with the checks SnakeYAML's
 * composer makes (undefined aliases, the limit on aliases to collections, the nesting limit, untrusted global tags)
 * and the ones Portcullis adds (duplicate, merge and non-scalar keys). An alias shares the node it names, so aliases
 * cost nothing however often a collection is repeated; {@link Document#withinDepth} unfolds them where they nest too
 * deep.
 */
final class NodeBuilder {
  /** Relative depths from here on mean "unbounded": an alias inside the collection it names. */
  private static final int UNBOUNDED = 1 << 20;

  private final Path file;
  private final LoaderOptions options;
  private int collectionAliases; // counted over the whole stream, as the composer does

  private final ArrayDeque<Frame> open = new ArrayDeque<>();
  private Map<String, Anchored> anchors;
  private List<Problem> problems;
  private Map<Node.MapNode, List<Document.Skip>> skips;
  private Map<Node, Node> recursive;
  private Map<Node, Anchored> unresolved;
  private Mark recursiveAlias;
  private Node root;
  private int rootHeight;

  NodeBuilder(Path file, LoaderOptions options) {
    this.file = file;
    this.options = options;
  }

  /** Reads the events of one document's root node (the document start event already taken). */
  Document document(Parser parser) {
    anchors = new HashMap<>();
    problems = new ArrayList<>();
    skips = new IdentityHashMap<>();
    unresolved = new IdentityHashMap<>();
    recursiveAlias = null;
    root = null;
    while (root == null) {
      Event event = parser.getEvent();
      switch (event.getEventId()) {
        case Scalar -> scalar((ScalarEvent) event);
        case Alias -> alias((AliasEvent) event);
        case SequenceStart, MappingStart -> start((CollectionStartEvent) event);
        case SequenceEnd, MappingEnd -> end();
        default -> throw new IllegalStateException("unexpected YAML event inside a document: " + event);
      }
    }
    recursive = new IdentityHashMap<>();
    unresolved.forEach((sentinel, anchored) -> recursive.put(sentinel, anchored.node));
    return new Document(root, rootHeight, problems, skips, recursive, recursiveAlias);
  }

  private void scalar(ScalarEvent event) {
    checkNesting();
    Tag tag = explicitTag(event.getTag(), event);
    String text = event.getValue();
    boolean implicit = tag == null && event.getImplicit().canOmitTagInPlainScalar();
    boolean merge = tag == null ? implicit && text.equals("<<") : tag.equals(Tag.MERGE);
    Mark mark = mark(event.getStartMark());
    Frame frame = open.peek();
    String anchor = event.getAnchor();
    if (anchor == null && frame != null && frame.atKey()) {
      scalarKey(frame, text, mark, merge); // a key's value is its text: no type to resolve
      return;
    }
    Object value = tag != null ? Scalars.tagged(tag, text) : implicit ? Scalars.plain(text) : text;
    Node.ScalarNode node = new Node.ScalarNode(mark, value, text);
    if (anchor != null) {
      Anchored anchored = new Anchored(mark, true, merge);
      anchored.node = node;
      anchors.put(anchor, anchored);
    }
    if (frame != null && frame.atKey()) {
      scalarKey(frame, text, mark, merge);
    } else {
      add(node, 0);
    }
  }

  private void alias(AliasEvent event) {
    Anchored anchored = anchors.get(event.getAnchor());
    if (anchored == null) {
      throw new Failure("found undefined alias " + event.getAnchor(), event.getStartMark());
    }
    if (!anchored.scalar && ++collectionAliases > options.getMaxAliasesForCollections()) {
      throw new YAMLException("Number of aliases for non-scalar nodes exceeds the specified max="
          + options.getMaxAliasesForCollections());
    }
    Frame frame = open.peek();
    if (frame != null && frame.atKey()) {
      if (anchored.scalar) {
        Node.ScalarNode key = (Node.ScalarNode) anchored.node;
        scalarKey(frame, key.text(), key.mark(), anchored.merge);
      } else {
        skipEntry(frame, anchored.mark, "a mapping key must be plain text, found a nested structure",
            "write the key as text");
      }
    } else if (anchored.node == null) {
      // an alias inside the collection it names: a placeholder the expansion replaces by that collection
      Node sentinel = new Node.ScalarNode(anchored.mark, null, "");
      unresolved.put(sentinel, anchored);
      recursiveAlias = recursiveAlias == null ? mark(event.getStartMark()) : recursiveAlias;
      add(sentinel, UNBOUNDED);
    } else {
      problems.addAll(anchored.problems); // the composer-based reader reported them at every use
      add(anchored.node, anchored.height);
    }
  }

  private void start(CollectionStartEvent event) {
    checkNesting();
    explicitTag(event.getTag(), event);
    Mark mark = mark(event.getStartMark());
    Anchored anchored = null;
    if (event.getAnchor() != null) {
      anchored = new Anchored(mark, false, false);
      anchors.put(event.getAnchor(), anchored);
    }
    open.push(new Frame(mark, event.getEventId() == Event.ID.MappingStart, anchored, problems.size()));
  }

  private void end() {
    Frame frame = open.pop();
    Node node;
    if (frame.entries != null) {
      Node.MapNode map = new Node.MapNode(frame.mark, frame.entries);
      if (frame.skipped != null) {
        skips.put(map, frame.skipped);
      }
      node = map;
    } else {
      node = new Node.SeqNode(frame.mark, frame.items);
    }
    if (frame.anchored != null) {
      frame.anchored.node = node;
      frame.anchored.height = frame.height;
      frame.anchored.problems = List.copyOf(problems.subList(frame.problemStart, problems.size()));
    }
    Frame parent = open.peek();
    if (parent != null && parent.atKey()) {
      skipEntry(parent, frame.mark, "a mapping key must be plain text, found a nested structure",
          "write the key as text");
    } else {
      add(node, frame.height);
    }
  }

  /** Adds a finished value node of the given height (0 for a scalar) to the open collection, or makes it the root. */
  private void add(Node node, int height) {
    Frame frame = open.peek();
    if (frame == null) {
      root = node;
      rootHeight = height;
      return;
    }
    if (frame.entries == null) {
      frame.items.add(node);
      frame.grow(height);
      return;
    }
    if (frame.skipValue) {
      truncate(frame.valueStart); // a skipped entry's value is never looked at, nor are its problems
    } else {
      frame.entries.add(new Node.Entry(frame.key, frame.keyMark, node));
      frame.grow(height);
    }
    frame.expectKey(problems.size());
  }

  private void scalarKey(Frame frame, String key, Mark keyMark, boolean merge) {
    frame.expectingKey = false;
    if (merge) {
      skipEntry(frame, keyMark, "YAML merge keys ('<<') are not supported in policy files",
          "use role 'extends' or repeat the keys explicitly");
      return;
    }
    Mark first = frame.seen.putIfAbsent(key, keyMark);
    if (first != null) {
      skipEntry(frame, keyMark, "duplicate key '" + key + "' (first defined at " + first + ")",
          "remove one of the two; YAML keeps only one silently, Portcullis refuses to guess");
      return;
    }
    frame.key = key;
    frame.keyMark = keyMark;
    frame.skipValue = false;
  }

  private void skipEntry(Frame frame, Mark at, String message, String hint) {
    frame.expectingKey = false;
    truncate(frame.entryStart); // problems inside a key that is a structure are not reported
    Problem problem = new Problem(Problem.Severity.ERROR, at, message, hint);
    problems.add(problem);
    if (frame.skipped == null) {
      frame.skipped = new ArrayList<>();
    }
    frame.skipped.add(new Document.Skip(frame.entries.size(), problem));
    frame.key = null;
    frame.skipValue = true;
    frame.valueStart = problems.size();
  }

  private void truncate(int size) {
    problems.subList(size, problems.size()).clear();
  }

  private void checkNesting() {
    if (open.size() > options.getNestingDepthLimit()) {
      throw new YAMLException("Nesting Depth exceeded max " + options.getNestingDepthLimit());
    }
  }

  /** The node's explicit tag, or null for none or the non-specific {@code !}; refuses untrusted global tags. */
  private Tag explicitTag(String tag, Event event) {
    if (tag == null || tag.equals("!")) {
      return null;
    }
    Tag explicit = new Tag(tag);
    if (explicit.isCustomGlobal() && !options.getTagInspector().isGlobalTagAllowed(explicit)) {
      throw new Failure("Global tag is not allowed: " + tag, event.getStartMark());
    }
    return explicit;
  }

  private Mark mark(org.yaml.snakeyaml.error.Mark m) {
    return new Mark(file, m.getLine() + 1, m.getColumn() + 1);
  }

  /** An open collection. A mapping alternates between expecting a key and expecting that key's value. */
  private static final class Frame {
    final Mark mark;
    final Anchored anchored;
    final int problemStart;
    final List<Node> items;
    final List<Node.Entry> entries;
    final Map<String, Mark> seen;
    int height;
    boolean expectingKey = true;
    int entryStart;
    int valueStart;
    String key;
    Mark keyMark;
    boolean skipValue;
    List<Document.Skip> skipped;

    Frame(Mark mark, boolean mapping, Anchored anchored, int problemStart) {
      this.mark = mark;
      this.anchored = anchored;
      this.problemStart = problemStart;
      this.entryStart = problemStart;
      this.items = mapping ? null : new ArrayList<>();
      this.entries = mapping ? new ArrayList<>() : null;
      this.seen = mapping ? new HashMap<>() : null;
    }

    boolean atKey() {
      return entries != null && expectingKey;
    }

    void expectKey(int problemCount) {
      expectingKey = true;
      entryStart = problemCount;
    }

    void grow(int childHeight) {
      height = Math.max(height, Math.min(childHeight + 1, UNBOUNDED));
    }
  }

  /** What an anchor names: a scalar, or a collection ({@code node} stays null until the collection ends). */
  private static final class Anchored {
    final Mark mark;
    final boolean scalar;
    final boolean merge;
    Node node;
    int height;
    List<Problem> problems = List.of();

    Anchored(Mark mark, boolean scalar, boolean merge) {
      this.mark = mark;
      this.scalar = scalar;
      this.merge = merge;
    }
  }

  /** A composer error (the composer's own exception type has no public constructor). */
  private static final class Failure extends ComposerException {
    Failure(String problem, org.yaml.snakeyaml.error.Mark mark) {
      super(problem, mark);
    }
  }
}
