package dev.portcullis.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;

/** A fixed number of clients, each sending its next call as soon as the previous one is answered (closed loop). */
final class ClosedLoop {
  private ClosedLoop() {}

  static RunResult run(McpClient client, int clients, Duration duration) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    AtomicInteger errors = new AtomicInteger();
    List<Latencies> perClient = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Latencies mine = new Latencies(4096);
      perClient.add(mine);
      threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
        while (System.nanoTime() < deadline) {
          long t0 = System.nanoTime();
          try {
            ContentResponse response = client.call().send();
            mine.add(System.nanoTime() - t0);
            if (!client.ok(response.getStatus(), response.getContentAsString())) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            mine.add(System.nanoTime() - t0);
            errors.incrementAndGet();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Latencies all = new Latencies(perClient.stream().mapToInt(Latencies::count).sum());
    perClient.forEach(all::addAll);
    return RunResult.of(client.target().name(), "clients", clients, all, errors.get(), seconds);
  }
}
