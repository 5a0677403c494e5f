package dev.portcullis.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code budgets} section. Parsed and validated now; enforcement belongs to the budget step of the gateway (a later
 * issue), which reads these records.
 *
 * @param defaults limits for every agent without its own entry
 * @param agents per-agent limits, replacing the defaults field by field
 * @param loops repeated-call detection
 */
public record Budgets(Optional<Budget> defaults, Map<String, Budget> agents, Optional<Loops> loops) {
  public static final Budgets NONE = new Budgets(Optional.empty(), Map.of(), Optional.empty());

  public Budgets {
    agents = Map.copyOf(agents);
  }

  /** The limits that apply to {@code agentId}: its own entry, with missing fields taken from the defaults. */
  public Optional<Budget> forAgent(String agentId) {
    Budget own = agents.get(agentId);
    if (own == null) {
      return defaults;
    }
    if (defaults.isEmpty()) {
      return Optional.of(own);
    }
    Budget d = defaults.get();
    return Optional.of(new Budget(
        own.callsPerSession().isPresent() ? own.callsPerSession() : d.callsPerSession(),
        own.callsPerDay().isPresent() ? own.callsPerDay() : d.callsPerDay(),
        own.costUsdPerSession().or(d::costUsdPerSession),
        own.costUsdPerDay().or(d::costUsdPerDay),
        own.rate().or(d::rate)));
  }

  /** Limits for one agent. */
  public record Budget(OptionalLong callsPerSession, OptionalLong callsPerDay, Optional<Double> costUsdPerSession,
      Optional<Double> costUsdPerDay, Optional<Rate> rate) {}

  /** At most {@code calls} calls per {@code per}. */
  public record Rate(long calls, Duration per) {
    @Override
    public String toString() {
      return calls + " per " + (per.equals(Duration.ofSeconds(1)) ? "second" : per.equals(Duration.ofMinutes(1))
          ? "minute" : per.equals(Duration.ofHours(1)) ? "hour" : per.equals(Duration.ofDays(1)) ? "day" : per);
    }
  }

  /** The same call (tool and arguments) repeated more than {@code sameCallRepeats} times within {@code window}. */
  public record Loops(int sameCallRepeats, Duration window) {}
}
