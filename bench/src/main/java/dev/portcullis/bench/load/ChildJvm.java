package dev.portcullis.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server (the upstream fixture or the gateway) in its own JVM, with the full JIT and a fixed heap, so that the load
 * generator's allocations and pauses are not the server's. The child prints {@code LISTENING <url>} when it serves;
 * it answers one-line commands on stdin with one-line replies (see {@link GatewayMain}). Its stderr goes to a log file.
 */
final class ChildJvm implements AutoCloseable {
  static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC",
      "--enable-native-access=ALL-UNNAMED", "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");

  private final String name;
  private final Process process;
  private final PrintWriter stdin;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private final URI url;
  private final Duration startup;

  private ChildJvm(String name, Process process, URI url, Duration startup) {
    this.name = name;
    this.process = process;
    this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.url = url;
    this.startup = startup;
  }

  /**
   * Flags from {@code PORTCULLIS_BENCH_JVM_OPTS} (space-separated), added to every child JVM's, e.g.
   * {@code -XX:+PreserveFramePointer} so that {@code perf} records whole Java call chains.
   */
  static List<String> extraFlags() {
    String opts = System.getenv("PORTCULLIS_BENCH_JVM_OPTS");
    return opts == null || opts.isBlank() ? List.of() : List.of(opts.strip().split("\\s+"));
  }

  /** Starts {@code mainClass} with {@code args} and waits until it prints its URL. */
  static ChildJvm start(String name, String mainClass, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(extraFlags());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    BlockingQueue<String> queue = new ArrayBlockingQueue<>(1024);
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          queue.offer(line);
        }
      } catch (IOException e) {
        queue.offer("EOF " + e.getMessage());
      }
      queue.offer("EOF");
    }, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    String line = take(queue, Duration.ofSeconds(120), name, log);
    while (!line.startsWith("LISTENING ")) {
      if (line.startsWith("EOF")) {
        throw new IOException(name + " exited before it listened; see " + log);
      }
      line = take(queue, Duration.ofSeconds(120), name, log);
    }
    Duration startup = Duration.ofNanos(System.nanoTime() - start);
    ChildJvm child = new ChildJvm(name, process, URI.create(line.substring("LISTENING ".length()).strip()), startup);
    queue.drainTo(child.lines);
    Thread pump = new Thread(() -> {
      try {
        while (true) {
          child.lines.put(queue.take());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-lines");
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  private static String take(BlockingQueue<String> queue, Duration timeout, String name, Path log) throws IOException {
    try {
      String line = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IOException(name + " printed nothing for " + timeout.toSeconds() + " s; see " + log);
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + name, e);
    }
  }

  URI url() {
    return url;
  }

  /** Wall time from launching the JVM to its {@code LISTENING} line. */
  Duration startup() {
    return startup;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** Sends a command and returns the first reply line starting with {@code replyPrefix}. */
  String ask(String command, String replyPrefix, Duration timeout) {
    stdin.println(command);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(replyPrefix)) {
          return line.substring(replyPrefix.length()).strip();
        }
        if (line != null && line.startsWith("EOF")) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new UncheckedIOException(new IOException(name + " did not answer '" + command + "' with " + replyPrefix));
  }

  @Override
  public void close() {
    stdin.println("quit");
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
