package dev.portcullis.front;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A one-shot cancellation signal for one request: fired by the transport, heard by whoever registered. */
final class Cancel {
  private final AtomicBoolean fired = new AtomicBoolean();
  private final AtomicReference<Runnable> action = new AtomicReference<>();

  void fire() {
    if (fired.compareAndSet(false, true)) {
      Runnable a = action.get();
      if (a != null) {
        a.run();
      }
    }
  }

  void onFire(Runnable a) {
    action.set(a);
    if (fired.get()) {
      a.run();
    }
  }

  boolean fired() {
    return fired.get();
  }
}
