package dev.portcullis.policy;

import java.util.List;

/**
 * The static types of compiled conditions, as CEL's type checker assigns them, and the rules by which
 * {@link ExprParser} types operators and function calls: each builds its {@link Expr} node only for operand types the
 * checker accepts with the same meaning, and throws {@link #UNSUPPORTED} otherwise, so that CEL compiles (or rejects)
 * the expression.
 */
final class ExprTypes {
  /**
   * Static types: paths and macro variables are {@code dyn}, except {@code session.age} and
   * {@code session.started_at}, which are always a duration and a timestamp (see {@link ExprParser}).
   */
  enum Type {
    DYN, BOOL, INT, DOUBLE, STRING, NULL, LIST, DURATION, TIMESTAMP
  }

  record Typed(Expr expr, Type type) {}

  /** Not a shape the Java compiler handles; CEL takes over. */
  static final class Unsupported extends RuntimeException {
    private Unsupported() {
      super(null, null, false, false);
    }
  }

  static final Unsupported UNSUPPORTED = new Unsupported();

  private ExprTypes() {}

  static Expr bool(Typed t) {
    if (t.type() != Type.BOOL) {
      throw UNSUPPORTED;
    }
    return t.expr();
  }

  /** {@code c ? a : b}: both branches of one type, or dyn; null and list literals and mismatches are CEL's. */
  static Typed conditional(Typed condition, Typed then, Typed otherwise) {
    if (condition.type() != Type.BOOL && condition.type() != Type.DYN) {
      throw UNSUPPORTED;
    }
    Type a = then.type();
    Type b = otherwise.type();
    if (a == Type.NULL || b == Type.NULL || (a == Type.LIST && b == Type.LIST)) {
      throw UNSUPPORTED; // null and list literals have types of their own; CEL decides
    }
    if ((time(a) || time(b)) && a != b) {
      throw UNSUPPORTED; // a duration or a timestamp must not pass for dyn
    }
    Type type;
    if (a == b) {
      type = a;
    } else if (a == Type.DYN || b == Type.DYN) {
      type = Type.DYN;
    } else {
      throw UNSUPPORTED; // CEL reports the mismatch
    }
    return new Typed(new Expr.Conditional(condition.expr(), then.expr(), otherwise.expr()), type);
  }

  /** {@code == != < <= > >= in}. */
  static Typed relation(String op, Typed left, Typed right) {
    Expr e = switch (op) {
      case "==", "!=" -> {
        requireComparable(left.type(), right.type(), false);
        yield new Expr.Equals(left.expr(), right.expr(), op.equals("!="));
      }
      case "in" -> {
        if ((right.type() != Type.DYN && right.type() != Type.LIST) || time(left.type())) {
          throw UNSUPPORTED;
        }
        if (right.type() == Type.LIST) {
          List<?> items = (List<?>) ((Expr.Literal) right.expr()).value();
          Type element = items.isEmpty() ? Type.DYN : typeOf(items.getFirst());
          if (left.type() != Type.DYN && left.type() != element) {
            throw UNSUPPORTED;
          }
        } else if (left.type() == Type.LIST) {
          throw UNSUPPORTED;
        }
        yield new Expr.In(left.expr(), right.expr());
      }
      default -> {
        requireComparable(left.type(), right.type(), true);
        yield new Expr.Order(left.expr(), right.expr(), switch (op) {
          case "<" -> Expr.Order.Op.LT;
          case "<=" -> Expr.Order.Op.LE;
          case ">" -> Expr.Order.Op.GT;
          default -> Expr.Order.Op.GE;
        });
      }
    };
    return new Typed(e, Type.BOOL);
  }

  /**
   * Operand types the checker accepts for this operator; anything doubtful goes to CEL. A duration or a timestamp is
   * compared only with one of its own type.
   */
  private static void requireComparable(Type a, Type b, boolean ordering) {
    if ((time(a) || time(b)) && a != b) {
      throw UNSUPPORTED;
    }
    if (ordering) {
      if (!orderable(a) || !orderable(b) || (a != Type.DYN && b != Type.DYN && a != b)) {
        throw UNSUPPORTED;
      }
    } else if (a == Type.LIST || b == Type.LIST || (a != Type.DYN && b != Type.DYN && a != b)) {
      throw UNSUPPORTED;
    }
  }

  private static boolean orderable(Type t) {
    return t == Type.DYN || t == Type.INT || t == Type.DOUBLE || t == Type.STRING || time(t);
  }

  static boolean time(Type t) {
    return t == Type.DURATION || t == Type.TIMESTAMP;
  }

  /**
   * An arithmetic node, typed as CEL's checker types it: int, double, or ({@code +}) string on both sides; dyn with
   * one of those gives that type, dyn with dyn gives dyn. Lists, bools, null, durations, timestamps and mixed int and
   * double go to CEL.
   */
  static Typed arithmetic(Typed left, Typed right, Values.Op op) {
    Type a = left.type();
    Type b = right.type();
    for (Type t : new Type[] {a, b}) {
      boolean allowed = t == Type.DYN || t == Type.INT || (t == Type.DOUBLE && op != Values.Op.MODULO)
          || (t == Type.STRING && op == Values.Op.ADD);
      if (!allowed) {
        throw UNSUPPORTED;
      }
    }
    Type type;
    if (a == Type.DYN) {
      type = b;
    } else if (b == Type.DYN || a == b) {
      type = a;
    } else {
      throw UNSUPPORTED;
    }
    return new Typed(new Expr.Arithmetic(left.expr(), right.expr(), op), type);
  }

  /** {@code x.name(args)}: {@code startsWith}, {@code endsWith}, {@code contains}, {@code size}, {@code matches}. */
  static Typed method(Typed receiver, String name, List<Typed> args) {
    return switch (name) {
      case "startsWith", "endsWith", "contains" -> {
        if (args.size() != 1 || !stringLike(receiver.type()) || !stringLike(args.getFirst().type())) {
          throw UNSUPPORTED;
        }
        Expr.StringTest.Fn fn = name.equals("startsWith") ? Expr.StringTest.Fn.STARTS_WITH
            : name.equals("endsWith") ? Expr.StringTest.Fn.ENDS_WITH : Expr.StringTest.Fn.CONTAINS;
        yield new Typed(new Expr.StringTest(receiver.expr(), args.getFirst().expr(), fn), Type.BOOL);
      }
      case "size" -> {
        if (!args.isEmpty()) {
          throw UNSUPPORTED;
        }
        yield size(receiver);
      }
      case "matches" -> {
        if (args.size() != 1) {
          throw UNSUPPORTED;
        }
        yield matches(receiver, args.getFirst());
      }
      default -> throw UNSUPPORTED;
    };
  }

  /**
   * {@code name(args)} for the global functions compiled to Java: {@code size}, {@code matches}, {@code int},
   * {@code double}, {@code string}, {@code duration} and {@code business_hours}.
   */
  static Typed function(String name, List<Typed> args) {
    int arity = name.equals("matches") || name.equals("business_hours") ? 2 : 1;
    if (args.size() != arity) {
      throw UNSUPPORTED;
    }
    return switch (name) {
      case "size" -> size(args.getFirst());
      case "matches" -> matches(args.get(0), args.get(1));
      case "int", "double", "string" -> conversion(name, args.getFirst());
      case "duration" -> duration(args.getFirst());
      case "business_hours" -> businessHours(args.get(0), args.get(1));
      default -> throw UNSUPPORTED;
    };
  }

  /** A literal regex is compiled here; one RE2 rejects is CEL's to report (at every call, as CEL does). */
  private static Typed matches(Typed receiver, Typed regex) {
    if (!stringLike(receiver.type()) || !stringLike(regex.type())) {
      throw UNSUPPORTED;
    }
    com.google.re2j.Pattern compiled = null;
    if (regex.expr() instanceof Expr.Literal(String text)) {
      try {
        compiled = com.google.re2j.Pattern.compile(text);
      } catch (RuntimeException e) {
        throw UNSUPPORTED;
      }
    }
    return new Typed(new Expr.Matches(receiver.expr(), regex.expr(), compiled), Type.BOOL);
  }

  private static Typed size(Typed of) {
    if (of.type() != Type.DYN && of.type() != Type.STRING && of.type() != Type.LIST) {
      throw UNSUPPORTED;
    }
    return new Typed(new Expr.Size(of.expr()), Type.INT);
  }

  /**
   * {@code int(x)}, {@code double(x)}, {@code string(x)} of an argument type one of CEL's overloads takes: int, double
   * or string (and dyn) for all three, a timestamp for {@code int}, a bool for {@code string}.
   */
  private static Typed conversion(String name, Typed operand) {
    Type from = operand.type();
    boolean scalar = from == Type.DYN || from == Type.INT || from == Type.DOUBLE || from == Type.STRING;
    Expr.Conversion.To to = switch (name) {
      case "int" -> scalar || from == Type.TIMESTAMP ? Expr.Conversion.To.INT : null;
      case "double" -> scalar ? Expr.Conversion.To.DOUBLE : null;
      default -> scalar || from == Type.BOOL ? Expr.Conversion.To.STRING : null;
    };
    if (to == null) {
      throw UNSUPPORTED;
    }
    Type type = switch (to) {
      case INT -> Type.INT;
      case DOUBLE -> Type.DOUBLE;
      case STRING -> Type.STRING;
    };
    return new Typed(new Expr.Conversion(operand.expr(), to), type);
  }

  /** {@code duration("1h30m")}: a literal, read at load; any other argument, or a literal in doubt, is CEL's. */
  private static Typed duration(Typed text) {
    if (!(text.expr() instanceof Expr.Literal(String literal))) {
      throw UNSUPPORTED;
    }
    java.time.Duration d = Functions.durationLiteral(literal).orElseThrow(() -> UNSUPPORTED);
    return new Typed(new Expr.Literal(d), Type.DURATION);
  }

  /** {@code business_hours(t, zone)}: a zone written as a literal must be one Java knows (else CEL reports it). */
  private static Typed businessHours(Typed at, Typed zone) {
    if ((at.type() != Type.TIMESTAMP && at.type() != Type.DYN) || !stringLike(zone.type())) {
      throw UNSUPPORTED;
    }
    java.time.ZoneId fixed = null;
    if (zone.expr() instanceof Expr.Literal(String name)) {
      fixed = Functions.zone(name).orElseThrow(() -> UNSUPPORTED);
    }
    return new Typed(new Expr.BusinessHours(at.expr(), zone.expr(), fixed), Type.BOOL);
  }

  private static boolean stringLike(Type t) {
    return t == Type.DYN || t == Type.STRING;
  }

  /** The type of a constant in a list literal. */
  static Type typeOf(Object literal) {
    return switch (literal) {
      case String s -> Type.STRING;
      case Long l -> Type.INT;
      case Double d -> Type.DOUBLE;
      case Boolean b -> Type.BOOL;
      default -> throw UNSUPPORTED;
    };
  }
}
