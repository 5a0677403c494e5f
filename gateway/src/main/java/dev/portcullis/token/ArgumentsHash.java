package dev.portcullis.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portcullis.json.Json;
import dev.portcullis.verifier.CanonicalJson;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code args_hash} of a call's arguments, computed from the Jackson tree the gateway forwards. It is by definition
 * {@code CanonicalJson.sha256(Json.write(arguments))}: what the tool server computes from the text it receives. That
 * wrote the tree as text and parsed it again (with Gson) only to write it once more in canonical form; here the tree
 * is walked once, with the verifier's own {@link CanonicalJson#appendString}, {@link CanonicalJson#appendNumber} and
 * member order, so the canonical form keeps a single definition.
 *
 * <p>The walk handles the trees a parsed request holds, well inside the verifier's limits. Anything else (not an
 * object, a node type parsing does not produce, a non-finite number, nesting deeper than {@value #MAX_DEPTH}, text that
 * may come near {@link CanonicalJson#MAX_ARGUMENTS_CHARS}) takes the text path itself, so every refusal (and its
 * message) stays exactly what it was.
 */
final class ArgumentsHash {
  /** Deepest nesting walked here; the verifier's parser refuses 256 levels and more. */
  static final int MAX_DEPTH = 128;
  /** What a long or double can take as JSON text at most ({@code -2.2250738585072014E-308} has 24 characters). */
  private static final int NUMBER_TEXT_BOUND = 32;
  /** A character escaped here in two characters ({@code \\b}) may take six in Jackson's text ({@code \\u0008}). */
  private static final int ESCAPE_GROWTH = 3;
  private static final String EMPTY = CanonicalJson.sha256("{}");

  private final StringBuilder out = new StringBuilder(256);
  /** Characters the written JSON text may have beyond {@link #out}: numbers may be spelled longer there. */
  private long numberSlack;

  private ArgumentsHash() {}

  /** The hash of {@code arguments}; null, missing and JSON null are the empty object, as when minting from text. */
  static String of(JsonNode arguments) {
    if (arguments == null || arguments.isMissingNode() || arguments.isNull()) {
      return EMPTY;
    }
    if (arguments instanceof ObjectNode object) {
      ArgumentsHash walk = new ArgumentsHash();
      if (walk.object(object, 1)) {
        return CanonicalJson.sha256OfCanonical(walk.out.toString());
      }
    }
    return CanonicalJson.sha256(Json.write(arguments));
  }

  /** The canonical text as walked here, or null where {@link #of} takes the text path (for tests). */
  static String canonical(JsonNode arguments) {
    ArgumentsHash walk = new ArgumentsHash();
    return arguments instanceof ObjectNode object && walk.object(object, 1) ? walk.out.toString() : null;
  }

  /** Appends one object at nesting level {@code depth}; false when the text path must decide. */
  private boolean object(ObjectNode object, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    @SuppressWarnings("unchecked")
    Map.Entry<String, JsonNode>[] members = object.properties().toArray(new Map.Entry[0]);
    if (members.length > 1) {
      Arrays.sort(members, Map.Entry.comparingByKey()); // String order: UTF-16 code units, as RFC 8785 requires
    }
    out.append('{');
    for (int i = 0; i < members.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      CanonicalJson.appendString(members[i].getKey(), out);
      out.append(':');
      if (!value(members[i].getValue(), depth)) {
        return false;
      }
    }
    out.append('}');
    return withinLimit();
  }

  private boolean array(ArrayNode array, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    out.append('[');
    Iterator<JsonNode> items = array.elements();
    for (int i = 0; items.hasNext(); i++) {
      if (i > 0) {
        out.append(',');
      }
      if (!value(items.next(), depth)) {
        return false;
      }
    }
    out.append(']');
    return withinLimit();
  }

  /**
   * Appends one value inside a container at level {@code depth}. Numbers are written as the double the verifier's
   * parser reads from Jackson's text for them: a long as itself rounded, a double as itself (Jackson writes the digits
   * that read back to it), a big integer as its decimal digits rounded.
   */
  private boolean value(JsonNode node, int depth) {
    switch (node) {
      case ObjectNode o -> {
        return object(o, depth + 1);
      }
      case ArrayNode a -> {
        return array(a, depth + 1);
      }
      case TextNode t -> CanonicalJson.appendString(t.textValue(), out);
      case BooleanNode b -> out.append(b.booleanValue());
      case NullNode n -> out.append("null");
      case IntNode i -> number((double) i.longValue(), NUMBER_TEXT_BOUND);
      case LongNode l -> number((double) l.longValue(), NUMBER_TEXT_BOUND);
      case ShortNode s -> number((double) s.longValue(), NUMBER_TEXT_BOUND);
      case DoubleNode d -> {
        if (!Double.isFinite(d.doubleValue())) {
          return false; // Jackson writes "NaN" and infinities as strings
        }
        number(d.doubleValue(), NUMBER_TEXT_BOUND);
      }
      case BigIntegerNode b -> {
        String digits = b.bigIntegerValue().toString();
        double d = Double.parseDouble(digits);
        if (!Double.isFinite(d)) {
          return false;
        }
        number(d, digits.length());
      }
      default -> {
        return false; // floats, decimals, binary, POJOs: not what parsing a request yields
      }
    }
    return withinLimit();
  }

  private void number(double value, int textBound) {
    CanonicalJson.appendNumber(value, out);
    numberSlack += textBound;
  }

  /**
   * True while the text Jackson writes for the tree is surely within the verifier's limit, so that the text path would
   * not refuse it. The bound is loose (about 1.4 million characters of canonical text); past it the text path decides.
   */
  private boolean withinLimit() {
    return (long) out.length() * ESCAPE_GROWTH + numberSlack <= CanonicalJson.MAX_ARGUMENTS_CHARS;
  }
}
