package dev.portcullis.bench.load;

import java.util.Locale;
import java.util.Optional;

/**
 * Which fixed-rate cells are not run, and why. An open loop keeps sending at its rate whatever the target does, so a
 * target far slower than the rate piles up calls; behind a target that starts a server process per call
 * (supergateway on the 2026 wire, found by {@link WireCheck}) every pending call is a process (a JVM here), and 500 of
 * them a second would take the machine down rather than measure anything. Such a target is not offered a rate more
 * than {@value #FACTOR} times what it sustained with 8 clients in its warm-up; the report says so, with both numbers,
 * instead of leaving the cell out silently. Every other target is offered every rate, however slow it is.
 */
final class RateLimit {
  static final int FACTOR = 10;

  private RateLimit() {}

  /** Why {@code target} is not offered {@code rate} calls/s, or empty when it is. */
  static Optional<String> skip(String target, int rate, Double warmThroughput, boolean processPerCall) {
    if (!processPerCall || warmThroughput == null || warmThroughput * FACTOR >= rate) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "not run: %s starts a server process per call and sustained %.1f"
        + " calls/s with 8 clients in its warm-up; a fixed rate of %d calls/s is more than %d times that (an open loop would pile up %.0f calls a second"
        + " it cannot answer)", target, warmThroughput, rate, FACTOR, rate - warmThroughput));
  }
}
