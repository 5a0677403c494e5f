package dev.portcullis.token;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Random JSON object text for differential tests: nested objects and arrays, strings with escapes, control characters,
 * non-ASCII, surrogate pairs and lone surrogates, and numbers of every shape JSON allows (ints, longs at their limits,
 * big integers, decimals, exponents, negative zero, values that underflow or overflow a double).
 */
final class RandomJson {
  private static final String[] NUMBERS = {
    "0", "-0", "-0.0", "0.0", "-0e5", "0E-7", "1", "-1", "42", "2147483647", "-2147483648", "2147483648",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
    "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993", "18014398509481985",
    "123456789012345678901234567890", "100000000000000000000", "1000000000000000000000", "999999999999999999999",
    "0.1", "-0.1", "0.5", "1.0", "10.0", "4.50", "1e0", "1E1", "1e+2", "1e-2", "2e-3", "1e-6", "1e-7", "1.5e-7",
    "0.000001", "0.0000001", "1e21", "1e20", "1E30", "1.7976931348623157e308", "4.9e-324", "5e-324", "2.5e-324",
    "1e-400", "-1e-400", "1e400", "-1e400", "333333333.33333329", "3.141592653589793238462643383279",
    "0.30000000000000004", "123e-20", "-1.234567890123456789e-100", "6.02214076e23", "1.0000000000000002",
    "295147905179352825856", "1e308", "1.8e308"
  };
  private static final char[] SPECIAL = {
    '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u0001', '\u001f', '\u007f', '\u0080', '\u00e9',
    '\u20ac', '\u2028', '\u2029', '\ufeff', '\uffff', '<', '>', '&', '\'', '=', ' '
  };

  private final Random random;

  RandomJson(long seed) {
    random = new Random(seed);
  }

  /** One JSON object as text. */
  String object() {
    StringBuilder out = new StringBuilder();
    object(out, 0);
    return out.toString();
  }

  private void object(StringBuilder out, int depth) {
    int members = random.nextInt(depth == 0 ? 8 : 5);
    Set<String> names = new HashSet<>();
    out.append(space()).append('{');
    for (int i = 0; i < members; i++) {
      String name = text(random.nextInt(6));
      if (!names.add(name)) {
        continue;
      }
      if (names.size() > 1) {
        out.append(',');
      }
      string(out, name);
      out.append(space()).append(':');
      value(out, depth + 1);
    }
    out.append('}').append(space());
  }

  private void value(StringBuilder out, int depth) {
    int kind = random.nextInt(depth > 6 ? 5 : 8);
    switch (kind) {
      case 0, 1 -> string(out, text(random.nextInt(12)));
      case 2 -> out.append(number());
      case 3 -> out.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
      case 4 -> out.append(randomNumber());
      case 5 -> object(out, depth);
      default -> {
        out.append('[');
        int items = random.nextInt(5);
        for (int i = 0; i < items; i++) {
          if (i > 0) {
            out.append(',');
          }
          value(out, depth + 1);
        }
        out.append(']');
      }
    }
  }

  private String number() {
    return NUMBERS[random.nextInt(NUMBERS.length)];
  }

  /** A number spelled at random: sign, integer digits, fraction, exponent. */
  private String randomNumber() {
    StringBuilder n = new StringBuilder();
    if (random.nextBoolean()) {
      n.append('-');
    }
    int digits = 1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 17);
    n.append(random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(9));
    if (n.charAt(n.length() - 1) != '0') {
      for (int i = 1; i < digits; i++) {
        n.append(random.nextInt(10));
      }
    }
    if (random.nextInt(3) == 0) {
      n.append('.');
      for (int i = 1 + random.nextInt(20); i > 0; i--) {
        n.append(random.nextInt(10));
      }
    }
    if (random.nextInt(3) == 0) {
      n.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "" : random.nextBoolean() ? "+" : "-");
      n.append(random.nextInt(random.nextInt(5) == 0 ? 330 : 25));
    }
    return n.toString();
  }

  /** Random content: ASCII, specials, BMP characters, surrogate pairs and (rarely) lone surrogates. */
  private String text(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(8)) {
        case 0 -> s.append(SPECIAL[random.nextInt(SPECIAL.length)]);
        case 1 -> s.append((char) random.nextInt(0x20));
        case 2 -> s.append((char) (0xa0 + random.nextInt(0xd7ff - 0xa0)));
        case 3 -> s.appendCodePoint(0x10000 + random.nextInt(0x10ffff - 0x10000));
        case 4 -> s.append((char) ((random.nextBoolean() ? 0xd800 : 0xdc00) + random.nextInt(0x400)));
        default -> s.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return s.toString();
  }

  /** A JSON string literal: escapes where JSON needs them, and sometimes where it allows them. */
  private void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c) || random.nextInt(20) == 0) {
        out.append(switch (c) {
          case '"' -> "\\\"";
          case '\\' -> "\\\\";
          case '\n' -> random.nextBoolean() ? "\\n" : "\\u000A";
          default -> String.format("\\u%04" + (random.nextBoolean() ? "x" : "X"), (int) c);
        });
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private String space() {
    return switch (random.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\n\t";
      default -> "";
    };
  }
}
