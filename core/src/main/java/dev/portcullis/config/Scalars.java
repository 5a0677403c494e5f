package dev.portcullis.config;

import java.math.BigInteger;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The value of a YAML scalar, as SnakeYAML's default {@code Resolver} types it, computed with character checks
 * instead of the Resolver's regular expressions (which cost a regex match on every plain scalar). Booleans are only
 * {@code true}/{@code false} (YAML 1.1's {@code yes}/{@code no}/{@code on}/{@code off} stay text, so a label named
 * {@code no} is not silently a boolean); YAML 1.1 numbers ({@code 0x1f}, {@code 1_000}, {@code 012} read as decimal
 * 12) are numbers; anything the Resolver would type but that does not parse as its type (sexagesimal {@code 1:30},
 * timestamps) stays text.
 */
final class Scalars {
  /** The Resolver checks the number patterns only on scalars up to this length (its guard against slow regexes). */
  private static final int NUMBER_LIMIT = 1024;

  private Scalars() {}

  /** The value of a plain scalar without an explicit tag (the Resolver's implicit types). */
  static Object plain(String s) {
    int n = s.length();
    if (n == 0) {
      return null;
    }
    switch (s.charAt(0)) {
      case '~', ' ' -> {
        return n == 1 ? null : s;
      }
      case 'n', 'N' -> {
        return s.equals("null") || s.equals("Null") || s.equals("NULL") ? null : s;
      }
      case 't', 'T' -> {
        return s.equals("true") || s.equals("True") || s.equals("TRUE") ? Boolean.TRUE : s;
      }
      case 'f', 'F' -> {
        return s.equals("false") || s.equals("False") || s.equals("FALSE") ? Boolean.FALSE : s;
      }
      case '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
        if (n > NUMBER_LIMIT) {
          return s;
        }
        if (NumberSyntax.isInt(s)) {
          return integerOrText(s);
        }
        return NumberSyntax.isFloat(s) ? floatOrText(s) : s;
      }
      default -> {
        return s;
      }
    }
  }

  /** The value of a scalar with an explicit tag such as {@code !!str} or {@code !!int}. */
  static Object tagged(Tag tag, String text) {
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    if (tag.equals(Tag.BOOL)) {
      String lower = text.toLowerCase(Locale.ROOT);
      return lower.equals("true") ? Boolean.TRUE : lower.equals("false") ? Boolean.FALSE : text;
    }
    if (tag.equals(Tag.INT)) {
      return integerOrText(text);
    }
    if (tag.equals(Tag.FLOAT)) {
      return floatOrText(text);
    }
    return text;
  }

  private static Object integerOrText(String text) {
    try {
      return integer(text.replace("_", ""));
    } catch (NumberFormatException e) {
      return text; // sexagesimal 1:30 and the like
    }
  }

  private static Object floatOrText(String text) {
    String t = text.replace("_", "").toLowerCase(Locale.ROOT);
    try {
      return switch (t) {
        case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
        case "-.inf" -> Double.NEGATIVE_INFINITY;
        case ".nan" -> Double.NaN;
        default -> Double.parseDouble(t);
      };
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static Object integer(String t) {
    if (t.length() <= 18 && isDecimal(t)) {
      return Long.parseLong(t); // the common case, without a BigInteger
    }
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

  private static boolean isDecimal(String t) {
    int start = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    if (start == t.length()) {
      return false;
    }
    for (int i = start; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
