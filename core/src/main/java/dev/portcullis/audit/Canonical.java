package dev.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON text: object keys sorted ({@link String#compareTo}), no whitespace, strings escaped one way only.
 * Every string is first made storable ({@link #storable}), so the text survives a round trip through SQLite and
 * PostgreSQL unchanged and the hash computed when writing is the hash recomputed when verifying.
 */
final class Canonical {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Canonical() {}

  static String json(JsonNode node) {
    StringBuilder out = new StringBuilder(128);
    write(node, out);
    return out.toString();
  }

  static String stringArray(List<String> values) {
    StringBuilder out = new StringBuilder(16 * values.size() + 2).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(values.get(i), out);
    }
    return out.append(']').toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        fields.addAll(node.properties());
        fields.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(fields.get(i).getKey(), out);
          out.append(':');
          write(fields.get(i).getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> number(node, out);
      case BOOLEAN -> out.append(node.booleanValue());
      case BINARY, POJO -> string(node.asText(), out);
      case NULL, MISSING -> out.append("null");
    }
  }

  private static void number(JsonNode node, StringBuilder out) {
    if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else if (node.isBigDecimal()) {
      out.append(node.decimalValue().toString());
    } else {
      double d = node.doubleValue();
      // NaN and infinities cannot be written as JSON; they never come from a parsed message anyway.
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    }
  }

  /** Appends {@code s}, made {@linkplain #storable storable}, as a JSON string literal. */
  static void string(String s, StringBuilder out) {
    escape(storable(s), out);
  }

  /**
   * Appends {@code clean} as a JSON string literal, escaped as RFC 8785 (JSON Canonicalization Scheme) does: only
   * {@code "}, {@code \\} and control characters, short forms where JSON has them, else lower-case {@code \\u00xx}.
   * {@code clean} must be storable already.
   */
  static void escape(String clean, StringBuilder out) {
    out.append('"');
    int plain = 0; // start of the run of characters that need no escape, appended in one go
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(clean, plain, i);
      plain = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    out.append(clean, plain, clean.length());
    out.append('"');
  }

  /**
   * {@code s} with NUL characters and unpaired surrogates replaced by U+FFFD: PostgreSQL refuses NUL in text and an
   * unpaired surrogate cannot be encoded as UTF-8, so either would come back from the store different from what was
   * hashed.
   */
  static String storable(String s) {
    int bad = firstUnstorable(s);
    if (bad < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length()).append(s, 0, bad);
    for (int i = bad; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        out.append('\uFFFD');
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int firstUnstorable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
