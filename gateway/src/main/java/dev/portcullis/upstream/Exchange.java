package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One request in flight to an upstream: its answer, its notifications (delivered in order, all before the answer),
 * its timer (paused while a server-to-client request is being answered), and the transport's way to abort it.
 */
final class Exchange {
  static final ScheduledExecutorService TIMERS = timers();

  final long id;
  final String method;
  final String upstream;
  final CallContext ctx;
  /** The caller's progress token, replaced on the wire by {@link #id}; null when the caller asked for none. */
  final JsonNode progressToken;
  /** The protocol version to announce in HTTP headers; null before negotiation ({@code initialize}). */
  final String protocolVersion;
  final boolean modern;
  /** Null for no deadline (a {@code subscriptions/listen} stream). */
  final Duration timeout;

  private final CompletableFuture<Reply> answer = new CompletableFuture<>();
  /** Created on the first async delivery (stdio, or a 2025 GET stream); HTTP calls never need one. */
  private volatile SerialQueue deliveries;
  private final ReentrantLock timerLock = new ReentrantLock();
  private volatile Consumer<UpstreamException> abort = e -> {};
  private ScheduledFuture<?> timer;
  private long remainingNanos;
  private long armedAt;
  private int handlers;

  Exchange(long id, String method, String upstream, CallContext ctx, JsonNode progressToken, String protocolVersion,
      boolean modern, Duration timeout) {
    this.id = id;
    this.method = method;
    this.upstream = upstream;
    this.ctx = ctx;
    this.progressToken = progressToken;
    this.protocolVersion = protocolVersion;
    this.modern = modern;
    this.timeout = timeout;
  }

  /**
   * Adds what to do when the exchange fails before its answer (timeout, cancellation): abort a stream, notify the
   * peer. Runs at once when the exchange already failed.
   */
  void onAbort(Consumer<UpstreamException> action) {
    Consumer<UpstreamException> previous = abort;
    abort = cause -> {
      action.accept(cause);
      previous.accept(cause);
    };
    if (answer.state() == java.util.concurrent.Future.State.FAILED
        && answer.exceptionNow() instanceof UpstreamException cause) {
      action.accept(cause);
    }
  }

  void startTimer() {
    if (timeout == null) {
      return;
    }
    timerLock.lock();
    try {
      remainingNanos = timeout.toNanos();
      arm();
    } finally {
      timerLock.unlock();
    }
  }

  /** Stops the clock while the caller answers a server-to-client request. */
  void pauseTimer() {
    timerLock.lock();
    try {
      if (handlers++ == 0 && timer != null) {
        timer.cancel(false);
        timer = null;
        remainingNanos -= System.nanoTime() - armedAt;
      }
    } finally {
      timerLock.unlock();
    }
  }

  void resumeTimer() {
    timerLock.lock();
    try {
      if (--handlers == 0 && timeout != null && !answer.isDone()) {
        arm();
      }
    } finally {
      timerLock.unlock();
    }
  }

  private void arm() {
    armedAt = System.nanoTime();
    timer = TIMERS.schedule(this::expire, Math.max(remainingNanos, 0), TimeUnit.NANOSECONDS);
  }

  private void expire() {
    fail(new UpstreamException(UpstreamException.Kind.TIMEOUT, upstream, "upstream " + upstream
        + " did not answer " + method + " within " + timeout.toMillis() + " ms; the call was cancelled and the upstream"
        + " stays usable (raise 'timeout' of upstream " + upstream + " if the tool is legitimately slow)"));
  }

  /** Delivers one of this call's notifications; {@code async} when called from a shared reader thread. */
  void notification(ObjectNode message, boolean async) {
    if (answer.isDone()) {
      return;
    }
    if (!async) {
      ctx.notifications().accept(message);
      return;
    }
    SerialQueue queue = deliveries();
    if (!queue.execute(() -> ctx.notifications().accept(message), true)
        && SerialQueue.worthLogging(queue.dropped())) {
      McpUpstream.LOG.warn("upstream {} floods its {} call with notifications; dropped {} so far", upstream, method,
          queue.dropped());
    }
  }

  private SerialQueue deliveries() {
    SerialQueue queue = deliveries;
    if (queue == null) {
      timerLock.lock();
      try {
        if (deliveries == null) {
          deliveries = new SerialQueue(10_000);
        }
        queue = deliveries;
      } finally {
        timerLock.unlock();
      }
    }
    return queue;
  }

  /** Completes with the upstream's answer, after every notification queued before it. */
  void complete(Reply reply, boolean async) {
    SerialQueue queue = deliveries;
    if (!async || queue == null || queue.idle()) {
      settle(reply);
    } else {
      queue.execute(() -> settle(reply), false);
    }
  }

  private void settle(Reply reply) {
    if (answer.complete(reply)) {
      cancelTimer();
    }
  }

  /** Fails the exchange unless already answered and runs the abort actions. Returns whether this call failed it. */
  boolean fail(UpstreamException cause) {
    return fail(cause, true);
  }

  /** Fails the exchange; {@code abort} false when the request never reached the upstream or the channel is gone. */
  boolean fail(UpstreamException cause, boolean abort) {
    if (!answer.completeExceptionally(cause)) {
      return false;
    }
    cancelTimer();
    if (!abort) {
      return true;
    }
    Consumer<UpstreamException> action = this.abort;
    // The abort may write to the upstream (notifications/cancelled): never on the timer or a reader thread.
    Thread.startVirtualThread(() -> {
      try {
        action.accept(cause);
      } catch (RuntimeException e) {
        McpUpstream.LOG.debug("aborting {} on upstream {} failed", method, upstream, e);
      }
    });
    return true;
  }

  boolean isDone() {
    return answer.isDone();
  }

  CompletableFuture<Reply> answer() {
    return answer;
  }

  private void cancelTimer() {
    timerLock.lock();
    try {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    } finally {
      timerLock.unlock();
    }
  }

  /** Waits for the answer; an interrupt cancels the call. */
  Reply await() throws UpstreamException {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(new UpstreamException(UpstreamException.Kind.CANCELLED, upstream, "call " + method + " to upstream "
          + upstream + " was interrupted"));
      throw new UpstreamException(UpstreamException.Kind.CANCELLED, upstream, "call " + method + " to upstream "
          + upstream + " was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpstreamException u) {
        throw u;
      }
      throw new UpstreamException(UpstreamException.Kind.PROTOCOL, upstream, "call " + method + " to upstream "
          + upstream + " failed: " + e.getCause(), e.getCause());
    } catch (CancellationException e) {
      throw new UpstreamException(UpstreamException.Kind.CANCELLED, upstream, "call " + method + " was cancelled", e);
    }
  }

  private static ScheduledExecutorService timers() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "portcullis-upstream-timers");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
