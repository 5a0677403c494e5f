package dev.portcullis.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.Limits;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A cheap walk over arguments that refuses oversized or deeply nested input before any schema or policy evaluation
 * looks at it. Stops at the first violation, so its cost is bounded by the limits themselves.
 */
final class StructureLimits {
  private final Limits limits;
  private long size;

  private StructureLimits(Limits limits) {
    this.limits = limits;
  }

  static Optional<Violation> check(JsonNode arguments, Limits limits) {
    return Optional.ofNullable(new StructureLimits(limits).walk(arguments, "", 1));
  }

  private Violation walk(JsonNode node, String path, int depth) {
    if (node.isContainerNode() && depth > limits.maxDepth()) {
      return new Violation(path, "maxDepth", "(nested " + depth + " levels)",
          "argument " + display(path) + " is nested deeper than the limit of " + limits.maxDepth()
              + " levels; flatten the value");
    }
    size += 8;
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Violation v = string(e.getKey(), path + "{key}", "an argument name");
        if (v == null) {
          v = walk(e.getValue(), join(path, e.getKey()), depth + 1);
        }
        if (v != null) {
          return v;
        }
      }
    } else if (node.isArray()) {
      if (node.size() > limits.maxArrayItems()) {
        return new Violation(path, "maxArrayItems", "(" + node.size() + " items)",
            "argument " + display(path) + " has " + node.size() + " items, more than the limit of "
                + limits.maxArrayItems() + "; send fewer items per call");
      }
      for (int i = 0; i < node.size(); i++) {
        Violation v = walk(node.get(i), path + "[" + i + "]", depth + 1);
        if (v != null) {
          return v;
        }
      }
    } else if (node.isTextual()) {
      return string(node.textValue(), path, "argument " + display(path));
    }
    return size > limits.maxBodyBytes() ? tooBig() : null;
  }

  private Violation string(String s, String path, String what) {
    if (s.length() > limits.maxStringLength()) {
      return new Violation(path, "maxStringLength", Abbrev.quote(s),
          what + " is " + s.length() + " characters long, more than the limit of " + limits.maxStringLength()
              + "; send a shorter value");
    }
    size += s.length();
    return size > limits.maxBodyBytes() ? tooBig() : null;
  }

  private Violation tooBig() {
    return new Violation("", "maxSize", "(about " + size + " bytes)",
        "the arguments are larger than the limit of " + limits.maxBodyBytes() + " bytes; send less data per call");
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String display(String path) {
    return path.isEmpty() ? "(arguments)" : path;
  }
}
