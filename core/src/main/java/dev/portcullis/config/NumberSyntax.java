package dev.portcullis.config;

/**
 * SnakeYAML's {@code Resolver.INT} and {@code Resolver.FLOAT} patterns (YAML 1.1 numbers, with {@code _} separators)
 * as character scans. Each method accepts exactly the strings its pattern matches; the differential tests hold them to
 * that.
 */
final class NumberSyntax {
  private NumberSyntax() {}

  /**
   * {@code [-+]?} then one of: {@code 0b_*[01][01_]*}, {@code 0_*[0-7][0-7_]*}, {@code 0|[1-9][0-9_]*},
   * {@code 0x_*[0-9a-fA-F][0-9a-fA-F_]*}, {@code [1-9][0-9_]*(:[0-5]?[0-9])+}.
   */
  static boolean isInt(String s) {
    int i = sign(s);
    int n = s.length();
    if (i == n) {
      return false;
    }
    char c = s.charAt(i);
    if (c == '0') {
      if (i + 1 == n) {
        return true;
      }
      char next = s.charAt(i + 1);
      if (next == 'b') {
        return digitsAndUnderscores(s, i + 2, 2);
      }
      if (next == 'x') {
        return digitsAndUnderscores(s, i + 2, 16);
      }
      return digitsAndUnderscores(s, i + 1, 8);
    }
    if (c < '1' || c > '9') {
      return false;
    }
    int end = skip(s, i + 1);
    return end == n || s.charAt(end) == ':' && sexagesimal(s, end) == n;
  }

  /**
   * {@code [-+]?} then one of: {@code [0-9][0-9_]*\.[0-9_]*E?}, {@code [0-9][0-9_]*E}, {@code \.[0-9_]+E?},
   * {@code [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*}, {@code \.(inf|Inf|INF)}; or, unsigned, {@code \.(nan|NaN|NAN)};
   * where {@code E} is {@code [eE][-+]?[0-9]+}.
   */
  static boolean isFloat(String s) {
    int i = sign(s);
    int n = s.length();
    if (i == n) {
      return false;
    }
    char c = s.charAt(i);
    if (c == '.') {
      String rest = s.substring(i + 1);
      if (rest.equals("inf") || rest.equals("Inf") || rest.equals("INF")) {
        return true;
      }
      if (i == 0 && (rest.equals("nan") || rest.equals("NaN") || rest.equals("NAN"))) {
        return true;
      }
      int end = skip(s, i + 1);
      return end > i + 1 && exponentOrEnd(s, end);
    }
    if (c < '0' || c > '9') {
      return false;
    }
    int end = skip(s, i + 1);
    if (end == n) {
      return false;
    }
    return switch (s.charAt(end)) {
      case '.' -> exponentOrEnd(s, skip(s, end + 1));
      case 'e', 'E' -> exponent(s, end);
      case ':' -> {
        int dot = sexagesimal(s, end);
        yield dot >= 0 && dot < n && s.charAt(dot) == '.' && skip(s, dot + 1) == n;
      }
      default -> false;
    };
  }

  private static int sign(String s) {
    return !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
  }

  /** Whether {@code s} from {@code from} on is digits of {@code radix} and underscores, with a digit at least. */
  private static boolean digitsAndUnderscores(String s, int from, int radix) {
    boolean digit = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.digit(c, radix) >= 0 && c < 128) {
        digit = true;
      } else if (c != '_') {
        return false;
      }
    }
    return digit;
  }

  /** The index after the run of {@code [0-9_]} starting at {@code from}. */
  private static int skip(String s, int from) {
    int i = from;
    while (i < s.length() && (s.charAt(i) >= '0' && s.charAt(i) <= '9' || s.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /**
   * Matches {@code (:[0-5]?[0-9])+} at {@code from} (which holds a colon); returns the index after the match, or -1.
   */
  private static int sexagesimal(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) == ':') {
      int start = i + 1;
      int end = start;
      while (end < s.length() && end - start < 3 && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
        end++;
      }
      boolean ok = end - start == 1 || end - start == 2 && s.charAt(start) <= '5';
      if (!ok || end - start == 3) {
        return -1;
      }
      i = end;
    }
    return i;
  }

  private static boolean exponentOrEnd(String s, int at) {
    return at == s.length() || exponent(s, at);
  }

  /** Matches {@code [eE][-+]?[0-9]+} from {@code at} to the end of {@code s}. */
  private static boolean exponent(String s, int at) {
    int n = s.length();
    if (at >= n || s.charAt(at) != 'e' && s.charAt(at) != 'E') {
      return false;
    }
    int i = at + 1;
    if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      i++;
    }
    if (i == n) {
      return false;
    }
    for (; i < n; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
