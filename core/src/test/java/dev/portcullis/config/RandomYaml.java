package dev.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates YAML texts for differential tests: block and flow collections nested at random, keys that repeat, merge
 * and quoted keys, scalars of every type and style (numbers in all their YAML 1.1 forms, multi-line, literal and
 * folded), comments, anchors and aliases (some inside the collection they name), explicit tags, extra documents, and
 * broken variants of all of these.
 */
final class RandomYaml {
  private static final String[] KEYS = {"a", "b", "c", "id", "tools", "<<", "1", "~", "null", "true", "\"a\"", "'b'",
      "\"<<\"", "x y", "0x1f", "? k", "!!str c", "!!merge <<", "&k a", "*k"};
  private static final String[] SCALARS = {"0x1f", "0x_FF", "1_000", ".5", "+1", "-1", "1e3", "1E-3", "+0.5e+2", ".inf",
      "-.Inf", "+.INF", ".nan", ".NaN", "012", "0o17", "0b101", "0b_1", "1:30", "1:30.5", "-0", "3.14", "1.", "1_",
      "12345678901234567890", "~", "null", "Null", "NULL", "true", "True", "FALSE", "tRue", "yes", "no", "on", "OFF",
      "y", "<<", "2024-01-01", "text", "with space", "-dash", "a:b", "\"quoted\"", "'single'", "\"1\"", "'true'",
      "\"\"",
      "''", "\"esc\\n\\t\\u00e9\"", "'it''s'", "!!str 12", "!!int 0x10", "!!int 0o17", "!!int x", "!!float 1",
      "!!float .INF", "!!bool yes", "!!bool TRUE", "!!null x", "! 12", "! '12'", "!!binary aGk=", "!custom v",
      "!<tag:example.com,2000:t> v", "!!timestamp 2001-12-14", "@at", "`tick", "%pct", "a # comment", "é", "日本"};
  private static final String[] BLOCK_SCALARS = {"|", ">", "|-", ">+", "|2", ">-"};
  private static final String BREAKERS = " :-[]{},&*!#'\"|>?\n\t%@`~\\";

  private final Random random;
  private final List<String> anchors = new ArrayList<>();

  RandomYaml(long seed) {
    this.random = new Random(seed);
  }

  String document() {
    anchors.clear();
    StringBuilder out = new StringBuilder();
    if (chance(8)) {
      out.append("# a comment\n");
    }
    if (chance(10)) {
      out.append("--- ");
    }
    switch (random.nextInt(10)) {
      case 0 -> out.append(scalar()).append('\n');
      case 1 -> out.append(flow(0)).append('\n');
      case 2 -> blockSeq(out, 0, 0);
      default -> blockMap(out, 0, 0);
    }
    if (chance(15)) {
      out.append(chance(2) ? "---\n" : "...\n---\n").append(chance(2) ? "a: 1\n" : "");
    }
    return out.toString();
  }

  /** {@code text} with one to three random characters deleted, inserted or replaced, or a line doubled. */
  String broken(String text) {
    StringBuilder out = new StringBuilder(text);
    for (int edits = 1 + random.nextInt(3); edits > 0 && !out.isEmpty(); edits--) {
      int at = random.nextInt(out.length());
      switch (random.nextInt(4)) {
        case 0 -> out.deleteCharAt(at);
        case 1 -> out.insert(at, BREAKERS.charAt(random.nextInt(BREAKERS.length())));
        case 2 -> out.setCharAt(at, BREAKERS.charAt(random.nextInt(BREAKERS.length())));
        default -> {
          int start = out.lastIndexOf("\n", at) + 1;
          int end = out.indexOf("\n", at);
          end = end < 0 ? out.length() : end + 1;
          out.insert(start, out.substring(start, end));
        }
      }
    }
    return out.toString();
  }

  private void blockMap(StringBuilder out, int indent, int depth) {
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      if (chance(12)) {
        out.append(" ".repeat(indent)).append("# between entries\n");
      }
      out.append(" ".repeat(indent)).append(key()).append(':');
      value(out, indent, depth);
    }
  }

  private void blockSeq(StringBuilder out, int indent, int depth) {
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      out.append(" ".repeat(indent)).append('-');
      value(out, indent, depth);
    }
  }

  /** A value after {@code key:} or {@code -}, ending with a newline. */
  private void value(StringBuilder out, int indent, int depth) {
    int kind = depth > 5 ? random.nextInt(3) : random.nextInt(7);
    String prefix = chance(8) ? " &" + anchor() : chance(20) ? " !!map" : "";
    switch (kind) {
      case 0 -> out.append(chance(12) ? prefix + "\n" : prefix + " " + scalar() + comment() + "\n");
      case 1 -> out.append(' ').append(alias()).append('\n');
      case 2 -> out.append(prefix).append(' ').append(flow(depth + 1)).append(comment()).append('\n');
      case 3 -> {
        out.append(' ').append(BLOCK_SCALARS[random.nextInt(BLOCK_SCALARS.length)]).append('\n');
        for (int i = random.nextInt(4); i >= 0; i--) {
          out.append(" ".repeat(indent + 2)).append(chance(5) ? "" : "line " + i).append('\n');
        }
      }
      case 4 -> out.append(" multi-line\n").append(" ".repeat(indent + 2)).append("plain text\n");
      case 5 -> {
        out.append(prefix).append('\n');
        blockSeq(out, chance(2) ? indent : indent + 2, depth + 1);
      }
      default -> {
        out.append(prefix).append('\n');
        blockMap(out, indent + 2, depth + 1);
      }
    }
  }

  private String flow(int depth) {
    StringBuilder out = new StringBuilder();
    boolean map = chance(2);
    out.append(map ? '{' : '[');
    for (int i = random.nextInt(4); i > 0; i--) {
      if (map) {
        out.append(key()).append(": ");
      }
      out.append(depth > 6 || chance(2) ? scalar() : chance(6) ? alias() : flowWithAnchor(depth + 1));
      out.append(i > 1 ? ", " : chance(6) ? "," : "");
    }
    return out.append(map ? '}' : ']').toString();
  }

  private String flowWithAnchor(int depth) {
    return chance(6) ? "&" + anchor() + " " + flow(depth) : flow(depth);
  }

  private String key() {
    return KEYS[random.nextInt(KEYS.length)];
  }

  private String scalar() {
    return chance(10) ? "&" + anchor() + " " + SCALARS[random.nextInt(SCALARS.length)]
        : SCALARS[random.nextInt(SCALARS.length)];
  }

  private String anchor() {
    String name = "a" + random.nextInt(4);
    anchors.add(name);
    return name;
  }

  private String alias() {
    return anchors.isEmpty() || chance(20) ? "*nowhere" : "*" + anchors.get(random.nextInt(anchors.size()));
  }

  private String comment() {
    return chance(10) ? " # trailing" : "";
  }

  private boolean chance(int oneIn) {
    return random.nextInt(oneIn) == 0;
  }
}
