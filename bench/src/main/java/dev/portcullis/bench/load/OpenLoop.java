package dev.portcullis.bench.load;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Result;

/**
 * Offers calls at a fixed rate whatever the server does (open loop), and measures each call from the moment it was
 * due to be sent, not from when it was sent: a stalled server cannot hide its stall by delaying the calls that would
 * have measured it (coordinated omission). Calls still unanswered at the end count as errors.
 */
final class OpenLoop {
  private OpenLoop() {}

  static RunResult run(McpClient client, int rate, Duration duration) throws InterruptedException {
    int total = (int) (rate * duration.toMillis() / 1000);
    long interval = 1_000_000_000L / rate;
    long[] latencies = new long[total];
    boolean[] answered = new boolean[total];
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(total);
    long start = System.nanoTime() + 1_000_000;
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int index = i;
      client.call().send(new BufferingResponseListener(1 << 20) {
        @Override
        public void onComplete(Result result) {
          latencies[index] = System.nanoTime() - due;
          answered[index] = true;
          if (result.isFailed() || !client.ok(result.getResponse().getStatus(), getContentAsString())) {
            errors.incrementAndGet();
          }
          done.countDown();
        }
      });
    }
    boolean finished = done.await(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    Latencies measured = new Latencies(total);
    int missing = 0;
    for (int i = 0; i < total; i++) {
      if (answered[i]) {
        measured.add(latencies[i]);
      } else {
        missing++;
      }
    }
    if (!finished) {
      System.err.println(client.target().name() + " at " + rate + "/s: " + missing + " calls unanswered after 30 s");
    }
    return RunResult.of(client.target().name(), "rate", rate, measured, errors.get() + missing,
        Math.max(seconds, duration.toNanos() / 1e9));
  }
}
