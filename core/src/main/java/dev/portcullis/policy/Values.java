package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The operations of compiled conditions ({@link Expr}) on the values a call presents, with the semantics of CEL's
 * runtime ({@code dev.cel:cel}): numbers compare across int and double as CEL compares them, equality across kinds is
 * false, ordering across kinds is an error, a missing key is an error. Values are read where they are — Jackson nodes
 * of the arguments, the agent's attribute map, the session's own collections — so evaluating copies nothing.
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
    NULL, BOOL, INT, DOUBLE, STRING, LIST, MAP, DURATION, TIMESTAMP, OTHER
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
      case Duration d -> Kind.DURATION;
      case Instant i -> Kind.TIMESTAMP;
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

  /**
   * {@code a == b} as CEL's runtime decides it: numbers by value across int and double ({@link #compareNumbers}; NaN
   * equals nothing), lists and maps element by element, values of different kinds never.
   */
  static boolean equal(Object a, Object b) {
    Kind ka = kind(a);
    Kind kb = kind(b);
    if (numeric(ka) && numeric(kb)) {
      if (ka == Kind.DOUBLE && kb == Kind.DOUBLE) {
        return doubleValue(a) == doubleValue(b); // IEEE: NaN is unequal to itself, -0.0 equals 0.0
      }
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
      case DURATION, TIMESTAMP, OTHER -> a.equals(b);
      case INT, DOUBLE -> throw new AssertionError("numbers are compared above");
    };
  }

  /**
   * {@code a < b} (or {@code <=}, {@code >}, {@code >=}) as CEL's overloads compute it: two doubles as IEEE does (any
   * comparison with NaN is false), an int with a double by {@link #compareNumbers}, strings by UTF-16 code units,
   * durations and timestamps in time order; values that have no order between them are an error.
   */
  static boolean order(Object a, Object b, Expr.Order.Op op) {
    Kind ka = kind(a);
    Kind kb = kind(b);
    if (ka == Kind.DOUBLE && kb == Kind.DOUBLE) {
      double x = doubleValue(a);
      double y = doubleValue(b);
      return switch (op) {
        case LT -> x < y;
        case LE -> x <= y;
        case GT -> x > y;
        case GE -> x >= y;
      };
    }
    int c;
    if (numeric(ka) && numeric(kb)) {
      c = compareNumbers(a, ka, b, kb);
    } else if (ka == kb && ka == Kind.STRING) {
      c = string(a).compareTo(string(b));
    } else if (ka == kb && ka == Kind.BOOL) {
      c = Boolean.compare(bool(a), bool(b));
    } else if (ka == kb && ka == Kind.DURATION) {
      c = ((Duration) a).compareTo((Duration) b);
    } else if (ka == kb && ka == Kind.TIMESTAMP) {
      c = ((Instant) a).compareTo((Instant) b);
    } else {
      throw new EvalError("cannot compare " + describe(a) + " " + op.symbol + " " + describe(b));
    }
    return switch (op) {
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
    };
  }

  /**
   * {@code element in container}: a map has the key, or a list holds the element. CEL's runtime looks an element up
   * in a list with Java's {@code equals} on the values it holds, and only a number also by CEL's equality, so
   * {@code {"a": 1} in [{"a": 1.0}]} is false although the two maps are {@code ==}; this does the same.
   */
  static boolean in(Object element, Object container) {
    switch (kind(container)) {
      case LIST -> {
        Kind k = kind(element);
        if (container instanceof Collection<?> c && k == Kind.STRING) {
          return c.contains(string(element)); // the policy's collections hold plain strings, never JSON nodes
        }
        boolean number = numeric(k);
        for (Iterator<?> it = iterator(container); it.hasNext(); ) {
          Object item = it.next();
          if (javaEquals(element, item) || (number && equal(item, element))) {
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

  /**
   * The elements of a list or the keys of a map, which the macros {@code all}, {@code exists} and {@code exists_one}
   * iterate; any other value is an error.
   */
  static Iterator<?> elements(Object range, String macro) {
    return switch (kind(range)) {
      case LIST -> iterator(range);
      case MAP -> keys(range);
      default -> throw new EvalError(macro + "() needs a list or a map to iterate, found " + describe(range));
    };
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
      case DURATION -> "a duration";
      case TIMESTAMP -> "a timestamp";
      case OTHER -> "a " + v.getClass().getSimpleName();
    };
  }

  private static boolean numeric(Kind k) {
    return k == Kind.INT || k == Kind.DOUBLE;
  }

  /** Two ints, or an int and a double; two doubles are compared by the callers, with IEEE semantics. */
  private static int compareNumbers(Object a, Kind ka, Object b, Kind kb) {
    if (ka == Kind.INT && kb == Kind.INT) {
      return Long.compare(longValue(a), longValue(b));
    }
    if (ka == Kind.DOUBLE) {
      return compareDoubleInt(doubleValue(a), longValue(b));
    }
    return -compareDoubleInt(doubleValue(b), longValue(a));
  }

  /**
   * CEL's comparison of a double with an int ({@code ComparisonFunctions.compareDoubleInt}): the int is converted to a
   * double and the two are ordered by {@link Double#compare}, so precision beyond 2^53 is lost, NaN is greater than
   * every int and -0.0 is less than 0.
   */
  private static int compareDoubleInt(double d, long l) {
    if (d < -0x1p63) {
      return -1;
    }
    if (d > 0x1p63) {
      return 1;
    }
    return Double.compare(d, (double) l);
  }

  /**
   * Java's {@code equals} on the values CEL's runtime holds for these (Long, Double, String, Boolean, lists, maps):
   * an int never equals a double, and doubles are equal when their bits are ({@link Double#equals}).
   */
  private static boolean javaEquals(Object a, Object b) {
    Kind ka = kind(a);
    if (ka != kind(b)) {
      return false;
    }
    return switch (ka) {
      case NULL -> true;
      case BOOL -> bool(a) == bool(b);
      case INT -> longValue(a) == longValue(b);
      case DOUBLE -> Double.doubleToLongBits(doubleValue(a)) == Double.doubleToLongBits(doubleValue(b));
      case STRING -> string(a).equals(string(b));
      case LIST -> {
        if (size(a) != size(b)) {
          yield false;
        }
        Iterator<?> x = iterator(a);
        Iterator<?> y = iterator(b);
        while (x.hasNext()) {
          if (!javaEquals(x.next(), y.next())) {
            yield false;
          }
        }
        yield true;
      }
      case MAP -> {
        if (size(a) != size(b)) {
          yield false;
        }
        for (Iterator<String> keys = keys(a); keys.hasNext(); ) {
          String key = keys.next();
          if (!in(key, b) || !javaEquals(get(a, key), get(b, key))) {
            yield false;
          }
        }
        yield true;
      }
      case DURATION, TIMESTAMP, OTHER -> a.equals(b);
    };
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
