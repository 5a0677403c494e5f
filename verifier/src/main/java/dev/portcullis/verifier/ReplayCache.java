package dev.portcullis.verifier;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code jti}s accepted so far, each kept until its token can no longer pass the expiry check. Memory is bounded by
 * the token lifetime times the call rate, and by a hard cap past which calls are refused rather than entries dropped.
 */
final class ReplayCache {
  enum Outcome { FIRST_USE, REPLAYED, FULL }

  private static final int SWEEP_EVERY = 1024;

  private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
  private final AtomicLong inserts = new AtomicLong();
  private final int maxEntries;

  ReplayCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Records {@code jti} unless already seen; {@code forgetAfter} is when the token is surely expired. */
  Outcome use(String jti, Instant forgetAfter, Instant now) {
    if (inserts.incrementAndGet() % SWEEP_EVERY == 0 || seen.size() >= maxEntries) {
      sweep(now);
      if (seen.size() >= maxEntries) {
        return seen.containsKey(jti) ? Outcome.REPLAYED : Outcome.FULL;
      }
    }
    return seen.putIfAbsent(jti, forgetAfter) == null ? Outcome.FIRST_USE : Outcome.REPLAYED;
  }

  int size() {
    return seen.size();
  }

  private void sweep(Instant now) {
    seen.values().removeIf(forgetAfter -> forgetAfter.isBefore(now));
  }
}
