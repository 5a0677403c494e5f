package dev.portcullis.bench.run;

/** Progress lines on stdout, each stamped with the seconds since the run started. */
final class Progress {
  private static final long START = System.nanoTime();

  private Progress() {}

  static void say(String message) {
    System.out.printf("[bench %5.0fs] %s%n", (System.nanoTime() - START) / 1e9, message);
    System.out.flush();
  }
}
