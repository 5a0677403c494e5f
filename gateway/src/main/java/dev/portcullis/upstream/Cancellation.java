package dev.portcullis.upstream;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle the caller keeps to cancel an in-flight {@link Upstream#request} from another thread. Cancelling sends the
 * wire's cancellation signal to the upstream ({@code notifications/cancelled}, or closing the response stream on the
 * 2026 HTTP wire) and makes the blocked call fail with {@link UpstreamException.Kind#CANCELLED}. One handle per call.
 */
public final class Cancellation {
  private final AtomicReference<String> reason = new AtomicReference<>();
  private volatile Runnable hook;

  /** Cancels the call; the reason is passed to the upstream. Later calls have no effect. */
  public void cancel(String why) {
    if (reason.compareAndSet(null, why == null ? "cancelled" : why)) {
      Runnable h = hook;
      if (h != null) {
        h.run();
      }
    }
  }

  public boolean isCancelled() {
    return reason.get() != null;
  }

  public Optional<String> reason() {
    return Optional.ofNullable(reason.get());
  }

  /** Installs what to do on cancellation; runs it at once when already cancelled. */
  void onCancel(Runnable action) {
    hook = action;
    if (isCancelled()) {
      action.run();
    }
  }
}
