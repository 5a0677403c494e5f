package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random {@code when:} conditions for the differential test: every shape {@link ExprParser} compiles — paths,
 * literals, operators, string functions, macros with (nested) variables, conversions, durations, timestamps,
 * {@code business_hours} — mixed at random, so many come out ill-typed or outside the compiled set (and are left to
 * CEL, which the test skips).
 */
final class GeneratedConditions {
  private static final String[] ARG_PATHS = {"args.a", "args.b", "args.s", "args.n", "args.list", "args.obj",
      "args.obj.a", "args.obj.s", "args.items", "args.count", "args.m"};
  private static final String[] OTHER_PATHS = {"agent.attributes.region", "agent.attributes.tier", "agent.id",
      "agent.roles", "agent.attributes", "agent.attributes.regions", "session.calls", "session.labels",
      "session.tools_called", "session.id", "tool.name", "tool.upstream", "tool.labels",
      "tool.annotations.readOnlyHint", "tool.annotations"};
  private static final String[] LITERALS = {"0", "1", "3", "-2", "100", "1.5", "-0.5", "2.0", "\"\"", "\"ab\"",
      "'a'", "\"EU\"", "\"@acme.example\"", "\"crm.read\"", "\"private_data\"", "true", "false", "null", "5", "-0.0",
      "9007199254740992.0", "9223372036854775807", "\"12\"", "\"1.5\""};
  private static final String[] LISTS = {"[]", "[1, 2, 3]", "[\"EU\", \"US\"]", "[1.5, 2.0]", "[true]",
      "[\"private_data\", \"untrusted_content\"]"};
  /** Ranges for macros: lists, maps, scalars (an error to iterate) and missing keys. */
  private static final String[] RANGES = {"args.list", "args.items", "args.items", "args.obj", "args.m", "args.a",
      "args.count", "agent.roles", "agent.attributes", "agent.attributes.regions", "session.labels",
      "session.tools_called", "tool.labels", "tool.annotations"};
  /** The macro variables, outermost first: distinct names, so none shadows another. */
  private static final String[] VARIABLES = {"el", "it", "k"};
  private static final String[] DURATIONS = {"0", "5s", "60s", "1m", "59.5s", "1.5h", "1h30m", "-1s", "+2m",
      "100ms", "1500us", "250000ns", "2h", "90s", "24h", "0.000000001s", "1.0000000001s", "1d", "", "1",
      "87660000h", "87660001h", "72h", "0.5ms"};
  private static final String[] ZONES = {"\"Europe/Berlin\"", "'America/New_York'", "\"UTC\"", "'Asia/Kolkata'",
      "\"Mars/Base\"", "agent.attributes.tz", "args.s"};
  private static final String[] COMPARISONS = {"==", "!=", "<", "<=", ">", ">="};

  private final Random r;
  private final List<String> scope = new ArrayList<>();

  GeneratedConditions(Random r) {
    this.r = r;
  }

  String condition() {
    return boolExpr(3);
  }

  private String boolExpr(int depth) {
    int pick = depth <= 0 ? r.nextInt(6) : r.nextInt(11);
    return switch (pick) {
      case 0 -> operand() + " " + pick(COMPARISONS) + " " + operand();
      case 1 -> operand() + " in " + (r.nextBoolean() ? pick(LISTS) : path());
      case 2 -> stringOperand() + "." + pick("startsWith", "endsWith", "contains") + "(" + stringOperand() + ")";
      case 3 -> switch (r.nextInt(5)) {
        case 0 -> pick("true", "false", operand() + " == " + operand());
        case 1 -> stringOperand() + ".matches(" + regex() + ")";
        case 2 -> "matches(" + stringOperand() + ", " + regex() + ")";
        case 3 -> "has(" + pick("args.a", "args.obj", "args.obj.a", "args.obj.s", "args.s.x", "args.missing.x",
            "agent.attributes.region", "agent.attributes.tier", "tool.annotations.readOnlyHint",
            scope.isEmpty() ? "args.m.a" : scope.getLast() + "." + pick("a", "s")) + ")";
        default -> "(" + boolExpr(0) + " ? " + boolExpr(0) + " : " + boolExpr(0) + ")";
      };
      case 4 -> time();
      case 5 -> scope.size() < VARIABLES.length && r.nextInt(3) == 0 ? macro(0) : boolExpr(0);
      case 6 -> "!" + (r.nextBoolean() ? "(" + boolExpr(depth - 1) + ")" : boolExpr(0));
      case 7 -> boolExpr(depth - 1) + " && " + boolExpr(depth - 1);
      case 8 -> boolExpr(depth - 1) + " || " + boolExpr(depth - 1);
      case 9 -> scope.size() < VARIABLES.length ? macro(depth - 1) : boolExpr(depth - 1);
      default -> "(" + boolExpr(depth - 1) + ")";
    };
  }

  /** {@code range.all(v, p)} and its kin; the range may be an enclosing macro's variable or a key of it. */
  private String macro(int depth) {
    String range = !scope.isEmpty() && r.nextBoolean()
        ? scope.getLast() + pick("", ".a", ".s", "") : pick(RANGES);
    String variable = VARIABLES[scope.size()];
    scope.add(variable);
    String predicate = switch (r.nextInt(3)) {
      case 0 -> variable + pick(" < 5", ".endsWith(\"@d5.example\")", ".a > 1", " in [\"EU\", \"US\"]",
          " == \"a\"", ".size() > 1", " > 1.5", " == null");
      case 1 -> pick("has(" + variable + ".a)", "int(" + variable + ") > 2", "string(" + variable + ") == \"1\"",
          "double(" + variable + ") <= 2.0", variable + ".a.exists_one(" + VARIABLES[scope.size() % 3] + ", true)");
      default -> boolExpr(depth);
    };
    scope.removeLast();
    return range + "." + pick("all", "exists", "exists_one") + "(" + variable + ", " + predicate + ")";
  }

  /** Durations, timestamps and {@code business_hours}, compared and combined as CEL allows and otherwise. */
  private String time() {
    String op = pick(COMPARISONS);
    return switch (r.nextInt(7)) {
      case 0, 1 -> "session.age " + op + " duration(\"" + pick(DURATIONS) + "\")";
      case 2 -> "duration('" + pick(DURATIONS) + "') " + op + " duration(\"" + pick(DURATIONS) + "\")";
      case 3 -> pick("session.started_at " + op + " now", "now " + op + " session.started_at",
          "session.started_at " + op + " session.started_at", "session.age " + op + " args.a");
      case 4 -> "business_hours(" + pick("now", "session.started_at", "args.s", "args.a") + ", " + pick(ZONES)
          + ")";
      case 5 -> "int(" + pick("now", "session.started_at") + ") " + op + " " + pick("1772528400", "1772528340",
          "0");
      default -> "(" + boolExpr(0) + " ? session.age : duration(\"" + pick(DURATIONS) + "\")) " + op
          + " duration(\"1m\")";
    };
  }

  private String operand() {
    return switch (r.nextInt(13)) {
      case 6, 12 -> operand() + " " + pick("+", "-", "*", "/", "%") + " " + operand();
      case 7 -> "-" + pick(path(), "size(" + path() + ")", "(" + operand() + ")");
      case 8 -> "(" + boolExpr(0) + " ? " + operand() + " : " + operand() + ")";
      case 9 -> pick("int", "double", "string") + "(" + pick(path(), pick(LITERALS), "(" + operand() + ")") + ")";
      case 10 -> "int(" + path() + ") + 5";
      case 0, 1 -> path();
      case 2 -> pick(LITERALS);
      case 3 -> "size(" + (r.nextBoolean() ? path() : pick("\"héllo\"", "[1, 2]")) + ")";
      case 4 -> path() + ".size()";
      default -> r.nextInt(4) == 0 ? pick(LISTS) : path();
    };
  }

  private String regex() {
    return r.nextInt(4) == 0 ? path() : pick("'^a'", "\"b$\"", "'[.]example$'", "'^crm[.]'", "''", "'é'",
        "'(?i)EU'", "'^[a-z]+@acme[.]example$'", "'[0-9]+'", "'a|'");
  }

  private String stringOperand() {
    return r.nextInt(3) == 0 ? pick("\"a\"", "\"@acme.example\"", "\"\"", "'crm.'") : path();
  }

  /** A path into the call, or (inside a macro, half the time) a macro variable or a key of it. */
  private String path() {
    if (!scope.isEmpty() && r.nextBoolean()) {
      return pick(scope.toArray(String[]::new)) + pick("", "", ".a", ".s", ".a.a");
    }
    return r.nextInt(3) == 0 ? pick(OTHER_PATHS) : pick(ARG_PATHS);
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[r.nextInt(options.length)];
  }
}
