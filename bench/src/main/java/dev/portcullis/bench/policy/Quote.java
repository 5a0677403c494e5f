package dev.portcullis.bench.policy;

/** String literals for CEL, Cedar and YAML. */
final class Quote {
  private Quote() {}

  static String cel(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String cedar(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A Cedar {@code like} pattern: {@code before} and {@code after} are wildcards, {@code literal} is escaped. */
  static String cedarLike(String before, String literal, String after) {
    return "\"" + before + literal.replace("\\", "\\\\").replace("\"", "\\\"").replace("*", "\\*") + after + "\"";
  }

  /** A YAML single-quoted scalar. */
  static String yaml(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A regular expression matching {@code literal} at the start of a string. */
  static String regexPrefix(String literal) {
    StringBuilder out = new StringBuilder("^");
    for (char c : literal.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
