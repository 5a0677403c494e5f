package dev.portcullis.verifier;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form of a tool call's arguments and its hash, computed identically by the gateway (when it mints
 * a per-call token) and by the tool (when it checks one).
 *
 * <p>The form follows RFC 8785 (JSON Canonicalization Scheme): object members sorted by the UTF-16 code units of their
 * names, no whitespace, strings with only the mandatory escapes, numbers as IEEE-754 doubles printed the way
 * ECMAScript prints them ({@code 1.0} and {@code 1} are both {@code 1}; {@code 1e21} is {@code 1e+21}). Integers
 * beyond 2^53 therefore lose precision exactly as they would in any other JCS implementation.
 */
public final class CanonicalJson {
  /** Arguments larger than this (in characters of JSON text) are refused rather than hashed. */
  public static final int MAX_ARGUMENTS_CHARS = 4 * 1024 * 1024;
  private static final double TWO_TO_53 = 0x1p53;

  private CanonicalJson() {}

  /**
   * The canonical form of a JSON object given as text. A null or blank text is the empty object, as a call without
   * {@code arguments} means no arguments.
   *
   * @throws IllegalArgumentException when the text is not a single JSON object (duplicate member names included)
   */
  public static String canonicalize(String jsonObject) {
    return canonicalize((Object) parseObject(jsonObject));
  }

  /**
   * The canonical form of a JSON tree made of {@link Map} (string keys), {@link List} or array, {@link String},
   * {@link Number}, {@link Boolean} and {@code null}.
   *
   * @throws IllegalArgumentException for other value types, non-string keys and non-finite numbers
   */
  public static String canonicalize(Object tree) {
    StringBuilder out = new StringBuilder(128);
    write(tree, out, "$");
    return out.toString();
  }

  /** Base64url (unpadded) SHA-256 of the canonical UTF-8 form of a JSON object given as text. */
  public static String sha256(String jsonObject) {
    return hash(canonicalize(jsonObject));
  }

  /** Base64url (unpadded) SHA-256 of the canonical UTF-8 form of a JSON tree; a null tree is the empty object. */
  public static String sha256(Map<String, ?> tree) {
    return hash(canonicalize(tree == null ? Map.of() : (Object) tree));
  }

  static Map<String, Object> parseObject(String jsonObject) {
    if (jsonObject == null || jsonObject.isBlank()) {
      return Map.of();
    }
    if (jsonObject.length() > MAX_ARGUMENTS_CHARS) {
      throw new IllegalArgumentException("arguments are " + jsonObject.length() + " characters of JSON, more than the "
          + MAX_ARGUMENTS_CHARS + " this library hashes; send smaller arguments");
    }
    try {
      return JSONObjectUtils.parse(jsonObject);
    } catch (ParseException e) {
      throw new IllegalArgumentException("arguments are not one JSON object (duplicate member names, trailing text,"
          + " non-finite numbers and JSON extensions are refused): " + e.getMessage(), e);
    }
  }

  /**
   * Appends the canonical form of a JSON string to {@code out}. For code that writes the canonical form of another JSON
   * tree type (the gateway walks its Jackson trees); the form itself stays defined here only.
   */
  public static void appendString(String s, StringBuilder out) {
    writeString(s, out);
  }

  /**
   * Appends the canonical form of the JSON number whose value is {@code value} (what a JSON parser reads it as), the
   * way ECMAScript prints it. For the same writers as {@link #appendString}.
   *
   * @throws IllegalArgumentException when {@code value} is NaN or infinite, which JSON cannot represent
   */
  public static void appendNumber(double value, StringBuilder out) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("number " + value + " cannot be represented in JSON; send a finite number");
    }
    appendFinite(value, out);
  }

  /** Base64url (unpadded) SHA-256 of the UTF-8 of text already in canonical form (see {@link #appendString}). */
  public static String sha256OfCanonical(String canonical) {
    return hash(canonical);
  }

  private static String hash(String canonical) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64URL.encode(digest).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static void write(Object value, StringBuilder out, String path) {
    switch (value) {
      case null -> out.append("null");
      case String s -> writeString(s, out);
      case Boolean b -> out.append(b.booleanValue());
      case Number n -> appendFinite(finite(n, path), out);
      case Map<?, ?> map -> writeObject(map, out, path);
      case Collection<?> list -> writeArray(list, out, path);
      case Object[] array -> writeArray(List.of(array), out, path);
      default -> throw new IllegalArgumentException("value at " + path + " is a " + value.getClass().getName()
          + ", which is not a JSON type; use Map, List, String, Number, Boolean or null");
    }
  }

  private static void writeObject(Map<?, ?> map, StringBuilder out, String path) {
    List<String> names = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String name)) {
        throw new IllegalArgumentException("object at " + path + " has the non-string key " + key
            + "; JSON member names are strings");
      }
      names.add(name);
    }
    names.sort(null); // String.compareTo orders by UTF-16 code units, as RFC 8785 requires
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String name = names.get(i);
      writeString(name, out);
      out.append(':');
      write(map.get(name), out, path + "." + name);
    }
    out.append('}');
  }

  private static void writeArray(Collection<?> list, StringBuilder out, String path) {
    out.append('[');
    int i = 0;
    for (Object item : list) {
      if (i > 0) {
        out.append(',');
      }
      write(item, out, path + "[" + i + "]");
      i++;
    }
    out.append(']');
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    int run = 0; // start of the characters not yet appended, which need no escape
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
      }
    }
    out.append(s, run, s.length()).append('"');
  }

  /** The number as the double a JSON parser reads it as; refused when NaN or infinite. */
  private static double finite(Number n, String path) {
    double d = switch (n) {
      case BigDecimal big -> big.doubleValue();
      case BigInteger big -> big.doubleValue();
      default -> n.doubleValue();
    };
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("number at " + path + " is " + n + ", which JSON cannot represent");
    }
    return d;
  }

  /** ECMAScript's Number::toString of a finite double (RFC 8785 section 3.2.2.3). */
  static String number(double d) {
    StringBuilder s = new StringBuilder(24);
    appendFinite(d, s);
    return s.toString();
  }

  private static void appendFinite(double d, StringBuilder s) {
    if (d == 0) {
      s.append('0'); // -0 too
      return;
    }
    if (Math.abs(d) < TWO_TO_53 && d == Math.rint(d)) {
      // Below 2^53 every integer is a double of its own, so the shortest digits naming an integral double are the
      // integer's own: what the general path below prints, without its BigDecimal.
      s.append((long) d);
      return;
    }
    // Since JDK 19 Double.toString gives the shortest digits that round-trip, which is what ECMAScript uses.
    BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    if (shortest.precision() == 2) {
      // Java prints at least two digits where ECMAScript prints one (e.g. 4.9E-324 vs 5e-324): prefer the shorter one
      // when it names the same double.
      BigDecimal oneDigit = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (oneDigit.doubleValue() == Math.abs(d)) {
        shortest = oneDigit.stripTrailingZeros();
      }
    }
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int exponent = k - shortest.scale(); // value = 0.digits * 10^exponent, ECMAScript's n
    if (d < 0) {
      s.append('-');
    }
    if (k <= exponent && exponent <= 21) {
      s.append(digits).append("0".repeat(exponent - k));
    } else if (0 < exponent && exponent <= 21) {
      s.append(digits, 0, exponent).append('.').append(digits, exponent, k);
    } else if (-6 < exponent && exponent <= 0) {
      s.append("0.").append("0".repeat(-exponent)).append(digits);
    } else {
      s.append(digits.charAt(0));
      if (k > 1) {
        s.append('.').append(digits, 1, k);
      }
      int e = exponent - 1;
      s.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }
}
