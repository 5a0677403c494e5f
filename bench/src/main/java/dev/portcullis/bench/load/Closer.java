package dev.portcullis.bench.load;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what the harness started, last started first, even when one of them fails to close (thread-safe). */
final class Closer implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  synchronized <T extends AutoCloseable> T add(T resource) {
    started.push(resource);
    return resource;
  }

  @Override
  public synchronized void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
