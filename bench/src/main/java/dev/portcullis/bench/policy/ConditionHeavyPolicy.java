package dev.portcullis.bench.policy;

/**
 * A policy with thousands of grants, each with its own condition, for timing a cold load: every condition differs
 * from every other (and from those of other salts), so no cache of compiled expressions can help.
 */
public final class ConditionHeavyPolicy {
  /** Which conditions the grants carry. */
  public enum Conditions {
    /** The shapes policies use (comparisons, string tests, {@code in}, session history, {@code && || !}). */
    COMMON,
    /**
     * Arithmetic, {@code matches}, {@code ?:}, {@code size() +}: shapes only CEL handled until they, too, were compiled
     * to Java (this kind was called {@code CEL_ONLY} before).
     */
    ARITHMETIC,
    /**
     * The {@code all}/{@code exists} macros, {@code int()}, durations: shapes only CEL handled until they were
     * compiled to Java as well, so that a realistic policy never sets CEL up. The name stays, for comparison with
     * earlier runs.
     */
    CEL_ONLY,
    /** A realistic mix: 16 in 20 conditions {@link #COMMON}, 3 {@link #ARITHMETIC}, 1 {@link #CEL_ONLY}. */
    MIXED
  }

  private static final int GRANTS_PER_ROLE = 50;

  private ConditionHeavyPolicy() {}

  /** The policy as YAML: {@code grants} grants in roles of 50, distinct conditions, one agent per role. */
  public static String yaml(int grants, Conditions conditions, long salt) {
    int roles = (grants + GRANTS_PER_ROLE - 1) / GRANTS_PER_ROLE;
    StringBuilder y = new StringBuilder(grants * 120);
    y.append("version: 1\nagents:\n");
    for (int r = 0; r < roles; r++) {
      y.append("  agent-").append(r).append(": { roles: [role-").append(r).append("], attributes: { tier: ")
          .append(r % 5).append(", region: EU } }\n");
    }
    y.append("roles:\n");
    for (int i = 0; i < grants; i++) {
      if (i % GRANTS_PER_ROLE == 0) {
        y.append("  role-").append(i / GRANTS_PER_ROLE).append(":\n    grants:\n");
      }
      y.append("      - id: g").append(i).append('\n')
          .append("        tools: [crm.tool_").append(i % 200).append("]\n")
          .append("        when: '").append(condition(i, conditions, salt).replace("'", "''")).append("'\n");
    }
    return y.toString();
  }

  /** The condition of grant {@code i} in {@link #yaml}'s policy. */
  public static String condition(int i, Conditions conditions, long salt) {
    return condition(i, salt * 1_000_000L + i, conditions);
  }

  private static String condition(int i, long n, Conditions conditions) {
    return switch (conditions) {
      case COMMON -> common(i, n);
      case ARITHMETIC -> arithmetic(i, n);
      case CEL_ONLY -> celOnly(i, n);
      case MIXED -> i % 20 < 16 ? common(i, n) : i % 20 < 19 ? arithmetic(i, n) : celOnly(i / 20, n);
    };
  }

  private static String arithmetic(int i, long n) {
    return switch (i % 4) {
      case 0 -> "args.amount * 2 <= " + n;
      case 1 -> "args.to.matches(\"^[a-z]+@d" + n + "[.]example$\")";
      case 2 -> "(args.amount > " + n + " ? args.approved : true) == true";
      default -> "size(session.tools_called) + " + n + " < 10";
    };
  }

  private static String celOnly(int i, long n) {
    return switch (i % 4) {
      case 0 -> "args.items.all(x, x < " + n + ")";
      case 1 -> "args.recipients.exists(r, r.endsWith(\"@d" + n + ".example\"))";
      case 2 -> "int(args.count) + " + n + " < 100";
      default -> "session.age < duration(\"" + n + "s\")";
    };
  }

  private static String common(int i, long n) {
    return switch (i % 6) {
      case 0 -> "args.amount <= " + n;
      case 1 -> "args.to.endsWith(\"@d" + n + ".example\")";
      case 2 -> "args.region == agent.attributes.region && agent.attributes.tier >= " + (n % 7);
      case 3 -> "\"crm.tool_" + n + "\" in session.tools_called";
      case 4 -> "!(\"untrusted_content\" in session.labels) || args.path.startsWith(\"/r" + n + "/\")";
      default -> "session.calls < " + n + " && args.mode in [\"a\", \"b" + n + "\"]";
    };
  }
}
