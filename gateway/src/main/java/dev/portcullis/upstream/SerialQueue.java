package dev.portcullis.upstream;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in order, on a virtual thread started only while work is queued. Lets a reader thread hand
 * notifications to slow consumers without ever blocking on them; droppable tasks are refused past a bound so a flood
 * cannot exhaust memory.
 */
final class SerialQueue {
  private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
  private final int limit;

  SerialQueue(int limit) {
    this.limit = limit;
  }

  /** Queues {@code task}; returns false (and drops it) when droppable and the queue is full. */
  boolean execute(Runnable task, boolean droppable) {
    if (droppable && size.get() >= limit) {
      dropped.incrementAndGet();
      return false;
    }
    tasks.add(task);
    if (size.getAndIncrement() == 0) {
      Thread.startVirtualThread(this::drain);
    }
    return true;
  }

  /** How many droppable tasks were refused so far; callers log at powers of two to keep the log readable. */
  long dropped() {
    return dropped.get();
  }

  static boolean worthLogging(long count) {
    return Long.bitCount(count) == 1;
  }

  boolean idle() {
    return size.get() == 0;
  }

  private void drain() {
    do {
      Runnable task = tasks.poll();
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("a notification consumer failed; continuing", e);
      }
    } while (size.decrementAndGet() > 0);
  }
}
