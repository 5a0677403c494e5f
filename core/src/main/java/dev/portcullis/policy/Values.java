package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The operations of compiled conditions ({@link Expr}) on the values a call presents, with CEL's semantics: numbers
 * compare across int and double, equality across kinds is false, ordering across kinds is an error, a missing key is
 * an error. Values are read where they are — Jackson nodes of the arguments, the agent's attribute map, the session's
 * own collections — so evaluating copies nothing.
 */
final class Values {
  private Values() {}

  /** The arithmetic operators, with CEL's overloads: int and double ({@code %} int only), {@code +} also strings and lists. */
  enum Op {
    ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  enum Kind {
    NULL, BOOL, INT, DOUBLE, STRING, LIST, MAP, OTHER
  }

  static Kind kind(Object v) {
    return switch (v) {
      case String s -> Kind.STRING;
      case Long l -> Kind.INT;
      case Double d -> Kind.DOUBLE;
      case Boolean b -> Kind.BOOL;
      case JsonNode n -> switch (n.getNodeType()) {
        case STRING -> Kind.STRING;
        case NUMBER -> n.isIntegralNumber() && n.canConvertToLong() ? Kind.INT : Kind.DOUBLE;
        case BOOLEAN -> Kind.BOOL;
        case OBJECT -> Kind.MAP;
        case ARRAY -> Kind.LIST;
        case NULL, MISSING -> Kind.NULL;
        default -> Kind.STRING;
      };
      case NullValue n -> Kind.NULL;
      case Collection<?> c -> Kind.LIST;
      case Map<?, ?> m -> Kind.MAP;
      case null -> Kind.NULL;
      default -> Kind.OTHER;
    };
  }

  static String string(Object v) {
    return v instanceof JsonNode n ? n.asText() : (String) v;
  }

  static long longValue(Object v) {
    return v instanceof JsonNode n ? n.longValue() : (Long) v;
  }

  static double doubleValue(Object v) {
    return v instanceof JsonNode n ? n.doubleValue() : ((Number) v).doubleValue();
  }

  static boolean bool(Object v) {
    return v instanceof JsonNode n ? n.booleanValue() : (Boolean) v;
  }

  /** The value of {@code key} in a map value; a missing key or a value that is not a map is an error. */
  static Object select(Object v, String key, String path) {
    if (v instanceof JsonNode n && n.isObject()) {
      JsonNode found = n.get(key);
      if (found == null) {
        throw new EvalError(path + ": no such key '" + key + "'");
      }
      return found;
    }
    if (v instanceof Map<?, ?> m) {
      Object found = m.get(key);
      if (found == null && !m.containsKey(key)) {
        throw new EvalError(path + ": no such key '" + key + "'");
      }
      return found;
    }
    throw new EvalError(path + ": cannot read key '" + key + "' of " + describe(v));
  }

  static boolean equal(Object a, Object b) {
    Kind ka = kind(a);
    Kind kb = kind(b);
    if (numeric(ka) && numeric(kb)) {
      return compareNumbers(a, ka, b, kb) == 0;
    }
    if (ka != kb) {
      return false;
    }
    return switch (ka) {
      case NULL -> true;
      case BOOL -> bool(a) == bool(b);
      case STRING -> string(a).equals(string(b));
      case LIST -> equalLists(a, b);
      case MAP -> equalMaps(a, b);
      case OTHER -> a.equals(b);
      case INT, DOUBLE -> throw new AssertionError("numbers are compared above");
    };
  }

  /** Negative, zero or positive; values that have no order between them are an error. */
  static int compare(Object a, Object b, String op) {
    Kind ka = kind(a);
    Kind kb = kind(b);
    if (numeric(ka) && numeric(kb)) {
      return compareNumbers(a, ka, b, kb);
    }
    if (ka == kb && ka == Kind.STRING) {
      return string(a).compareTo(string(b));
    }
    if (ka == kb && ka == Kind.BOOL) {
      return Boolean.compare(bool(a), bool(b));
    }
    throw new EvalError("cannot compare " + describe(a) + " " + op + " " + describe(b));
  }

  /** {@code element in container}: a list holds an equal element, or a map has the key. */
  static boolean in(Object element, Object container) {
    switch (kind(container)) {
      case LIST -> {
        if (container instanceof Collection<?> c && kind(element) == Kind.STRING) {
          return c.contains(string(element)); // the policy's collections hold plain strings, never JSON nodes
        }
        for (Iterator<?> it = iterator(container); it.hasNext(); ) {
          if (equal(element, it.next())) {
            return true;
          }
        }
        return false;
      }
      case MAP -> {
        if (kind(element) != Kind.STRING) {
          return false; // keys of JSON objects and attribute maps are strings
        }
        return container instanceof JsonNode n ? n.has(string(element))
            : ((Map<?, ?>) container).containsKey(string(element));
      }
      default -> throw new EvalError("'in' needs a list or a map on its right, found " + describe(container));
    }
  }

  static long size(Object v) {
    return switch (kind(v)) {
      case STRING -> {
        String s = string(v);
        yield s.codePointCount(0, s.length());
      }
      case LIST -> v instanceof JsonNode n ? n.size() : ((Collection<?>) v).size();
      case MAP -> v instanceof JsonNode n ? n.size() : ((Map<?, ?>) v).size();
      default -> throw new EvalError("size() needs a string, list or map, found " + describe(v));
    };
  }

  /**
   * {@code a op b} as CEL computes it: int with int (an overflow, a division by zero or {@code MIN / -1} is an error),
   * double with double (IEEE), and for {@code +} string with string and list with list; any other pair — int with
   * double included — is an error, as CEL has no overload for it.
   */
  static Object arithmetic(Object a, Object b, Op op) {
    Kind ka = kind(a);
    Kind kb = kind(b);
    if (ka == Kind.INT && kb == Kind.INT) {
      long x = longValue(a);
      long y = longValue(b);
      try {
        return switch (op) {
          case ADD -> Math.addExact(x, y);
          case SUBTRACT -> Math.subtractExact(x, y);
          case MULTIPLY -> Math.multiplyExact(x, y);
          case DIVIDE -> {
            if (y == 0) {
              throw new EvalError("division by zero");
            }
            if (x == Long.MIN_VALUE && y == -1) {
              throw new EvalError("integer overflow in " + x + " / -1");
            }
            yield x / y;
          }
          case MODULO -> {
            if (y == 0) {
              throw new EvalError("modulus by zero");
            }
            yield x % y;
          }
        };
      } catch (ArithmeticException e) {
        throw new EvalError("integer overflow in " + x + " " + op.symbol + " " + y);
      }
    }
    if (ka == Kind.DOUBLE && kb == Kind.DOUBLE && op != Op.MODULO) {
      double x = doubleValue(a);
      double y = doubleValue(b);
      return switch (op) {
        case ADD -> x + y;
        case SUBTRACT -> x - y;
        case MULTIPLY -> x * y;
        default -> x / y;
      };
    }
    if (op == Op.ADD && ka == Kind.STRING && kb == Kind.STRING) {
      return string(a).concat(string(b));
    }
    if (op == Op.ADD && ka == Kind.LIST && kb == Kind.LIST) {
      java.util.List<Object> joined = new java.util.ArrayList<>((int) (size(a) + size(b)));
      for (Object list : new Object[] {a, b}) {
        for (Iterator<?> it = iterator(list); it.hasNext(); ) {
          Object item = it.next();
          joined.add(item instanceof JsonNode n ? CelValues.of(n) : item); // plain values, as 'in' expects of lists
        }
      }
      return java.util.Collections.unmodifiableList(joined);
    }
    throw new EvalError("no '" + op.symbol + "' for " + describe(a) + " and " + describe(b));
  }

  /** {@code -x}: an int (negating the most negative int is an error) or a double. */
  static Object negate(Object v) {
    return switch (kind(v)) {
      case INT -> {
        long x = longValue(v);
        if (x == Long.MIN_VALUE) {
          throw new EvalError("integer overflow in -(" + x + ")");
        }
        yield -x;
      }
      case DOUBLE -> -doubleValue(v);
      default -> throw new EvalError("no '-' for " + describe(v));
    };
  }

  /** {@code has(v.key)}: whether the map {@code v} has {@code key}; anything but a map is an error. */
  static boolean has(Object v, String key, String path) {
    if (v instanceof JsonNode n && n.isObject()) {
      return n.has(key);
    }
    if (v instanceof Map<?, ?> m) {
      return m.containsKey(key);
    }
    throw new EvalError("has(" + path + "): cannot test key '" + key + "' of " + describe(v));
  }

  /** A regex compiled as CEL's {@code matches} compiles it (RE2); a malformed one is an error. */
  static com.google.re2j.Pattern regex(String regex) {
    try {
      return com.google.re2j.Pattern.compile(regex);
    } catch (RuntimeException e) {
      throw new EvalError("matches(): invalid regex '" + regex + "': " + e.getMessage());
    }
  }

  static String requireString(Object v, String what) {
    if (kind(v) != Kind.STRING) {
      throw new EvalError(what + " needs a string, found " + describe(v));
    }
    return string(v);
  }

  static String describe(Object v) {
    Kind k = kind(v);
    return switch (k) {
      case NULL -> "null";
      case STRING -> "a string";
      case INT -> "an int";
      case DOUBLE -> "a double";
      case BOOL -> "a bool";
      case LIST -> "a list";
      case MAP -> "a map";
      case OTHER -> "a " + v.getClass().getSimpleName();
    };
  }

  private static boolean numeric(Kind k) {
    return k == Kind.INT || k == Kind.DOUBLE;
  }

  private static int compareNumbers(Object a, Kind ka, Object b, Kind kb) {
    if (ka == Kind.INT && kb == Kind.INT) {
      return Long.compare(longValue(a), longValue(b));
    }
    if (ka == Kind.DOUBLE && kb == Kind.DOUBLE) {
      return compareDoubles(doubleValue(a), doubleValue(b));
    }
    if (ka == Kind.INT) {
      return compareLongDouble(longValue(a), doubleValue(b));
    }
    return -compareLongDouble(longValue(b), doubleValue(a));
  }

  private static int compareDoubles(double a, double b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Exact, unlike converting the long to a double. */
  private static int compareLongDouble(long a, double b) {
    if (b >= 0x1p63) {
      return -1;
    }
    if (b < -0x1p63) {
      return 1;
    }
    long whole = (long) b;
    if (a != whole) {
      return Long.compare(a, whole);
    }
    double fraction = b - whole;
    return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
  }

  private static Iterator<?> iterator(Object list) {
    return list instanceof JsonNode n ? n.elements() : ((Collection<?>) list).iterator();
  }

  private static boolean equalLists(Object a, Object b) {
    if (size(a) != size(b)) {
      return false;
    }
    Iterator<?> x = iterator(a);
    Iterator<?> y = iterator(b);
    while (x.hasNext()) {
      if (!equal(x.next(), y.next())) {
        return false;
      }
    }
    return true;
  }

  private static boolean equalMaps(Object a, Object b) {
    if (size(a) != size(b)) {
      return false;
    }
    for (Iterator<String> keys = keys(a); keys.hasNext(); ) {
      String key = keys.next();
      if (!in(key, b) || !equal(get(a, key), get(b, key))) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Iterator<String> keys(Object map) {
    return map instanceof JsonNode n ? n.fieldNames() : ((Map<String, ?>) map).keySet().iterator();
  }

  private static Object get(Object map, String key) {
    return map instanceof JsonNode n ? n.get(key) : ((Map<?, ?>) map).get(key);
  }
}
