package dev.portcullis.policy;

import static dev.portcullis.policy.ExprTypes.UNSUPPORTED;
import static dev.portcullis.policy.ExprTypes.bool;
import static dev.portcullis.policy.ExprTypes.time;

import dev.cel.common.values.NullValue;
import dev.portcullis.policy.ExprTypes.Type;
import dev.portcullis.policy.ExprTypes.Typed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the common shapes of a {@code when:} condition to an {@link Expr} in microseconds, without CEL: paths into
 * {@code args}, {@code agent}, {@code session} and {@code tool}; string, int, double, bool and null literals and lists
 * of them; {@code == != < <= > >= in}; {@code + - * / %} and unary {@code -}; {@code ?:}; {@code startsWith},
 * {@code endsWith}, {@code contains}, {@code matches}, {@code size}, {@code has}; {@code ! && ||} and parentheses; the
 * macros {@code all}, {@code exists} and {@code exists_one} on a {@code dyn} value (a path, or an enclosing macro's
 * variable), whose variable the predicate reads like a path ({@code r.domain}); {@code int()}, {@code double()},
 * {@code string()}; {@code duration("...")} of a literal, {@code now}, {@code session.age} and
 * {@code session.started_at}, compared duration with duration and timestamp with timestamp; and
 * {@code business_hours(t, zone)}. It accepts only what CEL's parser and type checker accept, typing each node as
 * CEL's checker does (except that {@code session.age} and {@code session.started_at}, {@code dyn} to the checker, are
 * typed as the duration and timestamp they always are, so that no time value reaches an operation written for JSON
 * values), with the same meaning; anything else (other macros, other functions, escapes, a macro variable that
 * shadows a name, a construct CEL would reject) is left to CEL, which then compiles it or reports the error.
 */
final class ExprParser {
  private static final Set<String> RESERVED = Set.of("as", "break", "const", "continue", "else", "for", "function",
      "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while", "in", "true", "false",
      "null");
  private static final Set<String> AGENT_FIELDS = Set.of("id", "roles", "attributes", "version", "actor_chain",
      "credential");
  private static final Set<String> SESSION_FIELDS = Set.of("id", "calls", "labels", "tools_called", "started_at",
      "age");
  /**
   * Names a macro variable must not take: the variables it would shadow, and the functions and types this parser or
   * CEL give a meaning to (CEL resolves such a shadowing name in ways not worth copying; it is left to CEL).
   */
  private static final Set<String> NOT_LOCAL = Set.of("args", "agent", "session", "tool", "now", "item", "has",
      "size", "matches", "int", "uint", "double", "string", "bool", "bytes", "duration", "timestamp", "dyn", "type",
      "list", "map", "null_type", "business_hours", "all", "exists", "exists_one", "filter", "google");
  private static final Set<String> TOOL_FIELDS = Set.of("name", "upstream", "annotations", "labels");

  private final String src;
  private int pos;
  /** The variables of the enclosing macros, innermost last; a variable's index is its slot in the activation. */
  private final List<String> locals = new ArrayList<>(2);

  private ExprParser(String src) {
    this.src = src;
  }

  /** The compiled condition, or empty when CEL must handle this expression. */
  static Optional<Expr> compile(String source) {
    ExprParser p = new ExprParser(source);
    try {
      Typed t = p.conditional();
      p.skipSpace();
      if (p.pos != source.length() || t.type() != Type.BOOL) {
        return Optional.empty();
      }
      return Optional.of(t.expr());
    } catch (ExprTypes.Unsupported e) {
      return Optional.empty();
    }
  }

  /** {@code c ? a : b} (right-associative), typed as CEL's checker types it: both branches of one type, or dyn. */
  private Typed conditional() {
    Typed condition = or();
    skipSpace();
    if (!peek('?')) {
      return condition;
    }
    pos++;
    Typed then = or();
    expect(':');
    Typed otherwise = conditional();
    return ExprTypes.conditional(condition, then, otherwise);
  }

  private Typed or() {
    Typed left = and();
    while (accept("||")) {
      left = new Typed(new Expr.Or(bool(left), bool(and())), Type.BOOL);
    }
    return left;
  }

  private Typed and() {
    Typed left = relation();
    while (accept("&&")) {
      left = new Typed(new Expr.And(bool(left), bool(relation())), Type.BOOL);
    }
    return left;
  }

  private Typed relation() {
    Typed left = additive();
    String op = relationOperator();
    if (op == null) {
      return left;
    }
    Typed right = additive();
    if (relationOperator() != null) {
      throw UNSUPPORTED; // a chain such as a < b < c
    }
    return ExprTypes.relation(op, left, right);
  }

  private Typed additive() {
    Typed left = multiplicative();
    while (true) {
      skipSpace();
      if (peek('+')) {
        pos++;
        left = ExprTypes.arithmetic(left, multiplicative(), Values.Op.ADD);
      } else if (peek('-')) {
        pos++;
        left = ExprTypes.arithmetic(left, multiplicative(), Values.Op.SUBTRACT);
      } else {
        return left;
      }
    }
  }

  private Typed multiplicative() {
    Typed left = unary();
    while (true) {
      skipSpace();
      Values.Op op = peek('*') ? Values.Op.MULTIPLY : peek('/') ? Values.Op.DIVIDE : peek('%') ? Values.Op.MODULO : null;
      if (op == null) {
        return left;
      }
      pos++;
      left = ExprTypes.arithmetic(left, unary(), op);
    }
  }

  private String relationOperator() {
    skipSpace();
    for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    if (src.startsWith("in", pos) && !identPart(pos + 2)) {
      pos += 2;
      return "in";
    }
    return null;
  }

  private Typed unary() {
    skipSpace();
    if (peek('!') && !src.startsWith("!=", pos)) {
      pos++;
      return new Typed(new Expr.Not(bool(unary())), Type.BOOL);
    }
    if (peek('-')) {
      pos++;
      skipSpace();
      if (peek('-')) {
        throw UNSUPPORTED; // CEL's parser folds '--x' into x
      }
      Typed number = primary();
      if (number.expr() instanceof Expr.Literal(Long l) && !peekMember()) {
        return new Typed(new Expr.Literal(-l), Type.INT);
      }
      if (number.expr() instanceof Expr.Literal(Double d) && !peekMember()) {
        return new Typed(new Expr.Literal(-d), Type.DOUBLE);
      }
      Typed operand = member(number);
      if (operand.type() != Type.INT && operand.type() != Type.DOUBLE && operand.type() != Type.DYN) {
        throw UNSUPPORTED;
      }
      return new Typed(new Expr.Negate(operand.expr()), operand.type());
    }
    return member(primary());
  }

  private boolean peekMember() {
    skipSpace();
    return peek('.') || peek('(') || peek('[');
  }

  private Typed member(Typed target) {
    while (true) {
      skipSpace();
      if (peek('[') || peek('(')) {
        throw UNSUPPORTED; // indexing and calls on values are left to CEL
      }
      if (!peek('.')) {
        return target;
      }
      pos++;
      String name = identifier();
      skipSpace();
      if (peek('(')) {
        pos++;
        Expr.Comprehension.Macro macro = switch (name) {
          case "all" -> Expr.Comprehension.Macro.ALL;
          case "exists" -> Expr.Comprehension.Macro.EXISTS;
          case "exists_one" -> Expr.Comprehension.Macro.EXISTS_ONE;
          default -> null;
        };
        target = macro != null ? comprehension(target, macro) : ExprTypes.method(target, name, arguments());
      } else if (target.type() != Type.DYN) {
        throw UNSUPPORTED;
      } else if (target.expr() instanceof Expr.Path(Activation.Root root, String first, String[] rest, String text)) {
        target = new Typed(new Expr.Path(root, first, append(rest, name), text + "." + name), Type.DYN);
      } else if (target.expr() instanceof Expr.Local(int slot, String[] keys, String text)) {
        target = new Typed(new Expr.Local(slot, append(keys, name), text + "." + name), Type.DYN);
      } else {
        throw UNSUPPORTED;
      }
    }
  }

  private static String[] append(String[] keys, String key) {
    String[] longer = java.util.Arrays.copyOf(keys, keys.length + 1);
    longer[keys.length] = key;
    return longer;
  }

  /**
   * {@code range.all(x, p)} and its kin, after the opening parenthesis: the range must be {@code dyn} (a list, a map
   * or an error at run time, as CEL decides), {@code x} a plain name that shadows nothing, {@code p} a bool.
   */
  private Typed comprehension(Typed range, Expr.Comprehension.Macro macro) {
    String name = word();
    if (range.type() != Type.DYN || RESERVED.contains(name) || NOT_LOCAL.contains(name) || name.startsWith("__")
        || locals.contains(name)) {
      throw UNSUPPORTED;
    }
    expect(',');
    int slot = locals.size();
    locals.add(name);
    Typed predicate = conditional();
    locals.removeLast();
    skipSpace();
    expect(')');
    return new Typed(new Expr.Comprehension(range.expr(), slot, bool(predicate), macro), Type.BOOL);
  }

  private List<Typed> arguments() {
    List<Typed> args = new ArrayList<>(1);
    skipSpace();
    if (peek(')')) {
      pos++;
      return args;
    }
    while (true) {
      args.add(conditional());
      skipSpace();
      if (peek(')')) {
        pos++;
        return args;
      }
      expect(',');
    }
  }

  private Typed primary() {
    skipSpace();
    if (pos >= src.length()) {
      throw UNSUPPORTED;
    }
    char c = src.charAt(pos);
    if (c == '(') {
      pos++;
      Typed inner = conditional();
      skipSpace();
      expect(')');
      return inner;
    }
    if (c == '"' || c == '\'') {
      return new Typed(new Expr.Literal(string()), Type.STRING);
    }
    if (c >= '0' && c <= '9') {
      return number();
    }
    if (c == '[') {
      return list();
    }
    String name = word();
    return switch (name) {
      case "true" -> new Typed(new Expr.Literal(Boolean.TRUE), Type.BOOL);
      case "false" -> new Typed(new Expr.Literal(Boolean.FALSE), Type.BOOL);
      case "null" -> new Typed(new Expr.Literal(NullValue.NULL_VALUE), Type.NULL);
      case "has" -> has();
      case "size", "matches", "int", "double", "string", "duration", "business_hours" -> {
        skipSpace();
        expect('(');
        yield ExprTypes.function(name, arguments());
      }
      case "now" -> new Typed(new Expr.Now(), Type.TIMESTAMP);
      default -> {
        if (RESERVED.contains(name)) {
          throw UNSUPPORTED;
        }
        int slot = locals.lastIndexOf(name);
        if (slot >= 0) {
          yield new Typed(new Expr.Local(slot, new String[0], name), Type.DYN);
        }
        yield variable(name);
      }
    };
  }

  /**
   * {@code has(root.a.b)}: the macro takes a field selection written out, nothing else. The map tested is the
   * selection without its last key ({@code args} itself for {@code has(args.x)}; other variables' keys are fixed).
   */
  private Typed has() {
    skipSpace();
    expect('(');
    skipSpace();
    Typed selection = unary();
    expect(')');
    if (selection.expr() instanceof Expr.Local(int slot, String[] keys, String text) && keys.length > 0) {
      String key = keys[keys.length - 1];
      String prefix = text.substring(0, text.length() - key.length() - 1);
      Expr target = new Expr.Local(slot, java.util.Arrays.copyOf(keys, keys.length - 1), prefix);
      return new Typed(new Expr.Has(target, key, text), Type.BOOL);
    }
    if (!(selection.expr() instanceof Expr.Path(Activation.Root root, String first, String[] rest, String text))
        || selection.type() != Type.DYN) {
      throw UNSUPPORTED;
    }
    String key;
    Expr target;
    if (rest.length == 0) {
      if (root != Activation.Root.ARGS) {
        throw UNSUPPORTED;
      }
      key = first;
      target = new Expr.Arguments();
    } else {
      key = rest[rest.length - 1];
      String prefix = text.substring(0, text.length() - key.length() - 1);
      target = new Expr.Path(root, first, java.util.Arrays.copyOf(rest, rest.length - 1), prefix);
    }
    return new Typed(new Expr.Has(target, key, text), Type.BOOL);
  }

  /** A variable and its first key, which must be one the variable has (other keys are CEL's to report). */
  private Typed variable(String name) {
    Activation.Root root = switch (name) {
      case "args" -> Activation.Root.ARGS;
      case "agent" -> Activation.Root.AGENT;
      case "session" -> Activation.Root.SESSION;
      case "tool" -> Activation.Root.TOOL;
      default -> throw UNSUPPORTED;
    };
    skipSpace();
    if (!peek('.')) {
      throw UNSUPPORTED;
    }
    pos++;
    String first = identifier();
    skipSpace();
    if (peek('(')) {
      throw UNSUPPORTED;
    }
    Set<String> known = switch (root) {
      case ARGS -> null;
      case AGENT -> AGENT_FIELDS;
      case SESSION -> SESSION_FIELDS;
      case TOOL -> TOOL_FIELDS;
    };
    if (known != null && !known.contains(first)) {
      throw UNSUPPORTED;
    }
    Type type = root != Activation.Root.SESSION ? Type.DYN
        : first.equals("age") ? Type.DURATION : first.equals("started_at") ? Type.TIMESTAMP : Type.DYN;
    return new Typed(new Expr.Path(root, first, new String[0], name + "." + first), type);
  }

  private Typed list() {
    pos++; // [
    List<Object> items = new ArrayList<>();
    Type element = null;
    skipSpace();
    if (peek(']')) {
      pos++;
      return new Typed(new Expr.Literal(List.of()), Type.LIST);
    }
    while (true) {
      Typed item = unary();
      if (!(item.expr() instanceof Expr.Literal(Object value)) || item.type() == Type.LIST || item.type() == Type.NULL
          || time(item.type()) || (element != null && item.type() != element)) {
        throw UNSUPPORTED; // only lists of constants of one type
      }
      element = item.type();
      items.add(value);
      skipSpace();
      if (peek(']')) {
        pos++;
        return new Typed(new Expr.Literal(List.copyOf(items)), Type.LIST);
      }
      expect(',');
    }
  }

  /** Plain decimal ints and doubles ({@code 12}, {@code 0.5}); hex, unsigned and exponents are CEL's. */
  private Typed number() {
    int start = pos;
    while (pos < src.length() && Character.isDigit(src.charAt(pos)) && src.charAt(pos) < 128) {
      pos++;
    }
    boolean fraction = false;
    if (peek('.') && pos + 1 < src.length() && src.charAt(pos + 1) >= '0' && src.charAt(pos + 1) <= '9') {
      fraction = true;
      pos++;
      while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
        pos++;
      }
    }
    if (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
        || src.charAt(pos) == '.')) {
      throw UNSUPPORTED; // 1u, 0x1f, 1e3, 1.
    }
    String digits = src.substring(start, pos);
    if (digits.length() > 1 && digits.startsWith("0") && !digits.startsWith("0.")) {
      throw UNSUPPORTED;
    }
    try {
      return fraction ? new Typed(new Expr.Literal(Double.parseDouble(digits)), Type.DOUBLE)
          : new Typed(new Expr.Literal(Long.parseLong(digits)), Type.INT);
    } catch (NumberFormatException e) {
      throw UNSUPPORTED;
    }
  }

  /** A quoted string without escapes or line breaks (those are CEL's to decode). */
  private String string() {
    char quote = src.charAt(pos);
    if (src.startsWith(String.valueOf(quote).repeat(3), pos)) {
      throw UNSUPPORTED;
    }
    int end = pos + 1;
    while (end < src.length() && src.charAt(end) != quote) {
      char c = src.charAt(end);
      if (c == '\\' || c == '\n' || c == '\r') {
        throw UNSUPPORTED;
      }
      end++;
    }
    if (end >= src.length()) {
      throw UNSUPPORTED;
    }
    String s = src.substring(pos + 1, end);
    pos = end + 1;
    return s;
  }

  /** An identifier that is not a reserved word. */
  private String identifier() {
    String name = word();
    if (RESERVED.contains(name)) {
      throw UNSUPPORTED;
    }
    return name;
  }

  private String word() {
    skipSpace();
    int start = pos;
    if (pos < src.length() && identStart(src.charAt(pos))) {
      pos++;
      while (identPart(pos)) {
        pos++;
      }
    }
    if (start == pos) {
      throw UNSUPPORTED;
    }
    return src.substring(start, pos);
  }

  private static boolean identStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private boolean identPart(int at) {
    if (at >= src.length()) {
      return false;
    }
    char c = src.charAt(at);
    return identStart(c) || (c >= '0' && c <= '9');
  }

  private boolean accept(String token) {
    skipSpace();
    if (src.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw UNSUPPORTED;
    }
    pos++;
  }

  private boolean peek(char c) {
    return pos < src.length() && src.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else if (c == '/' && src.startsWith("//", pos)) {
        throw UNSUPPORTED;
      } else {
        return;
      }
    }
  }
}
