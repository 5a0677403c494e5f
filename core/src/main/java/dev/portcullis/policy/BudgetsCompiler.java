package dev.portcullis.policy;

import dev.portcullis.config.Fields;
import dev.portcullis.config.Hints;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validates the shape of the {@code budgets} section (enforcement is the gateway's budget step). */
final class BudgetsCompiler {
  private static final Set<String> KEYS = Set.of("default", "agents", "loops");
  private static final Set<String> BUDGET_KEYS = Set.of("calls_per_session", "calls_per_day", "cost_usd_per_session",
      "cost_usd_per_day", "rate");
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(s|sec|second|m|min|minute|h|hour|d|day)");

  private BudgetsCompiler() {}

  static Budgets budgets(Optional<Node> section, Set<String> agents, Problems problems) {
    if (section.isEmpty()) {
      return Budgets.NONE;
    }
    Fields f = Fields.of(section.get(), "budgets", problems, KEYS);
    Optional<Budgets.Budget> defaults = f.get("default").map(n -> budget(n, "budgets.default", problems));
    Map<String, Budgets.Budget> perAgent = new LinkedHashMap<>();
    f.entries("agents").forEach((id, e) -> {
      if (!agents.contains(id)) {
        problems.error(e.keyMark(), "budgets name agent '" + id + "', which is not defined",
            Hints.didYouMean(id, agents, "agents"));
      }
      perAgent.put(id, budget(e.value(), "budgets of agent '" + id + "'", problems));
    });
    Optional<Budgets.Loops> loops = f.get("loops").map(n -> {
      Fields l = Fields.of(n, "budgets.loops", problems, Set.of("same_call_repeats", "window"));
      return new Budgets.Loops(l.integer("same_call_repeats", 1, 1_000_000).orElse(3L).intValue(),
          l.duration("window").orElse(Duration.ofMinutes(1)));
    });
    return new Budgets(defaults, perAgent, loops);
  }

  private static Budgets.Budget budget(Node node, String ctx, Problems problems) {
    Fields f = Fields.of(node, ctx, problems, BUDGET_KEYS);
    return new Budgets.Budget(
        optional(f.integer("calls_per_session", 1, Long.MAX_VALUE)),
        optional(f.integer("calls_per_day", 1, Long.MAX_VALUE)),
        f.number("cost_usd_per_session", 0),
        f.number("cost_usd_per_day", 0),
        f.string("rate").flatMap(r -> rate(r, f.get("rate").get(), ctx, problems)));
  }

  private static OptionalLong optional(Optional<Long> value) {
    return value.map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  private static Optional<Budgets.Rate> rate(String text, Node at, String ctx, Problems problems) {
    Matcher m = RATE.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
      problems.error(at.mark(), "rate in " + ctx + " is '" + text + "', not a rate",
          "write calls per unit: 60/min, 5/s, 1000/hour, 10000/day");
      return Optional.empty();
    }
    Duration per = switch (m.group(2)) {
      case "s", "sec", "second" -> Duration.ofSeconds(1);
      case "m", "min", "minute" -> Duration.ofMinutes(1);
      case "h", "hour" -> Duration.ofHours(1);
      default -> Duration.ofDays(1);
    };
    return Optional.of(new Budgets.Rate(Long.parseLong(m.group(1)), per));
  }
}
