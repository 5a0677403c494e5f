package dev.portcullis.upstream;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/** Restart delays: start small, double on each failure up to a cap, start small again after a healthy run. */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Duration healthy;
  private final ReentrantLock lock = new ReentrantLock();
  private Duration next;

  Backoff(Duration initial, Duration max, Duration healthy) {
    this.initial = initial;
    this.max = max;
    this.healthy = healthy;
    this.next = initial;
  }

  /** The delay before the next attempt, given how long the last attempt stayed up. */
  Duration next(Duration upFor) {
    lock.lock();
    try {
      if (upFor.compareTo(healthy) >= 0) {
        next = initial;
      }
      Duration delay = next;
      Duration doubled = next.multipliedBy(2);
      next = doubled.compareTo(max) > 0 ? max : doubled;
      return delay;
    } finally {
      lock.unlock();
    }
  }
}
