package dev.portcullis.upstream;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/** The last lines a process wrote to stderr, for naming the cause when it exits. */
final class StderrTail {
  private final int capacity;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();

  StderrTail(int capacity) {
    this.capacity = capacity;
  }

  void add(String line) {
    String kept = line.length() > 500 ? line.substring(0, 500) + "..." : line;
    lock.lock();
    try {
      if (lines.size() == capacity) {
        lines.removeFirst();
      }
      lines.addLast(kept);
    } finally {
      lock.unlock();
    }
  }

  /** Up to {@code n} last non-blank lines joined with " | ", oldest first. */
  String lastLines(int n) {
    lock.lock();
    try {
      java.util.List<String> kept = lines.stream().filter(l -> !l.isBlank()).toList();
      return String.join(" | ", kept.subList(Math.max(0, kept.size() - n), kept.size()));
    } finally {
      lock.unlock();
    }
  }
}
