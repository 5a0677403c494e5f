package dev.portcullis.upstream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches a stdio MCP server and supervises it: newline-delimited JSON-RPC on stdin/stdout, stderr to the log,
 * garbage lines skipped, restarts with backoff when it exits, and a clean shutdown (close stdin, wait, SIGTERM,
 * SIGKILL).
 *
 * <p>A request goes to the process current when it is written, and only if its exchange is still open: a relaunch
 * happens after the crash handler failed every exchange of the crashed process, so a request from before the crash
 * never reaches the relaunched one ahead of its handshake.
 *
 * <p>Each process's exit is worked out once and recorded before the crash handler runs, and a write to a process
 * whose exit is recorded fails at once with that same error. So a relaunched process that exits before its handshake
 * is even registered fails the handshake with its crash, not with whatever the dead pipe happens to do, and a
 * process is made current before its output is read, so even one that exits at once is reported and relaunched.
 */
final class StdioTransport implements Transport {
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final UpstreamConfig config;
  private final UpstreamOptions options;
  private final String name;
  private final Logger log;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final StderrTail stderr = new StderrTail(20);
  private final Backoff backoff;
  private Inbound inbound;
  private volatile Child current;
  private volatile ProcessExit lastExit;
  private volatile boolean closed;

  /** One launched process, when it started, and (once worked out) why it ended. */
  private static final class Child {
    final Process process;
    final long startedNanos = System.nanoTime();
    final Thread stderrReader;
    /** Why the process ended; null while it runs. Set once, under {@link #exitLock}. */
    private volatile UpstreamException exit;
    private final ReentrantLock exitLock = new ReentrantLock();

    Child(Process process, Thread stderrReader) {
      this.process = process;
      this.stderrReader = stderrReader;
    }

    OutputStream stdin() {
      return process.getOutputStream();
    }
  }

  StdioTransport(UpstreamConfig config, UpstreamOptions options) {
    this.config = config;
    this.options = options;
    this.name = config.name();
    this.log = LoggerFactory.getLogger("dev.portcullis.upstream." + name);
    this.backoff = new Backoff(options.restartInitial(), options.restartMax(), options.healthyAfter());
  }

  @Override
  public void bind(Inbound inbound) {
    this.inbound = inbound;
  }

  @Override
  public boolean sharedChannel() {
    return true;
  }

  @Override
  public void open() throws UpstreamException {
    launch();
  }

  private Child launch() throws UpstreamException {
    ProcessBuilder builder = new ProcessBuilder(config.command());
    config.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
    Map<String, String> env = builder.environment();
    env.keySet().retainAll(options.inheritedEnvironment());
    for (Map.Entry<String, UpstreamConfig.Value> e : config.env().entrySet()) {
      try {
        env.put(e.getKey(), e.getValue().resolve());
      } catch (IllegalStateException bad) {
        throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " env "
            + e.getKey() + ": " + bad.getMessage());
      }
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name + " cannot be launched"
          + " with command " + config.command() + ": " + e.getMessage() + "; check its 'command' (is the program"
          + " installed and on PATH?) and 'workingDirectory'", e);
    }
    Thread errors = Thread.ofPlatform().daemon().name("upstream-" + name + "-stderr")
        .start(() -> readStderr(process.getErrorStream()));
    Child child = new Child(process, errors);
    // Current before its output is read: however soon it exits, the exit is this process's and is reported.
    current = child;
    Thread.ofPlatform().daemon().name("upstream-" + name + "-stdout").start(() -> readStdout(child));
    log.debug("upstream {} launched, pid {}", name, process.pid());
    return child;
  }

  private void readStdout(Child child) {
    int max = options.maxMessageBytes();
    LineReader reader = new LineReader(child.process.getInputStream(), max, this::line,
        () -> log.warn("upstream {} wrote a line over {} bytes to stdout; skipped it", name, max));
    try {
      reader.run(() -> false);
    } catch (IOException e) {
      log.debug("upstream {}: stdout closed: {}", name, e.getMessage());
    }
    exited(child);
  }

  private void line(byte[] buf, int off, int len) {
    if (len == 0 || (len == 1 && buf[off] == ' ')) {
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(buf, off, len);
    } catch (IOException e) {
      node = null;
    }
    if (!(node instanceof ObjectNode message)) {
      log.warn("upstream {} wrote a line to stdout that is not a JSON-RPC message; skipped: {}", name,
          Mcp.excerpt(new String(buf, off, Math.min(len, 300), StandardCharsets.UTF_8), 200));
      return;
    }
    try {
      inbound.onMessage(message, null);
    } catch (RuntimeException e) {
      log.warn("upstream {}: handling a message failed; continuing", name, e);
    }
  }

  private void readStderr(InputStream in) {
    LineReader reader = new LineReader(in, 64 * 1024, (buf, off, len) -> {
      String text = new String(buf, off, len, StandardCharsets.UTF_8);
      stderr.add(text);
      log.info("[{}] {}", name, text);
    }, () -> {});
    try {
      reader.run(() -> false);
    } catch (IOException e) {
      log.debug("upstream {}: stderr closed", name);
    }
  }

  private void exited(Child child) {
    Process process = child.process;
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        // stdout closed but the process lives on: it can no longer answer, so end it.
        process.destroyForcibly();
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration upFor = Duration.ofNanos(System.nanoTime() - child.startedNanos);
    // Recorded before the crash handler runs: a request registered after it finds the exit when it is written.
    UpstreamException cause = exitCause(child);
    if (current != child) {
      return;
    }
    if (inbound.onDisconnect(cause) && !closed) {
      restartLater(backoff.next(upFor));
    }
  }

  /**
   * Names the exit code and the last stderr lines of a process that has exited; worked out once per process, so the
   * crash handler and a write that found the process gone report the same error.
   */
  private UpstreamException exitCause(Child child) {
    child.exitLock.lock();
    try {
      if (child.exit == null) {
        child.exit = describeExit(child);
      }
      return child.exit;
    } finally {
      child.exitLock.unlock();
    }
  }

  private UpstreamException describeExit(Child child) {
    Process process = child.process;
    try {
      child.stderrReader.join(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration upFor = Duration.ofNanos(System.nanoTime() - child.startedNanos);
    OptionalInt exitCode = process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    String code = exitCode.isPresent() ? String.valueOf(exitCode.getAsInt()) : "?";
    String tail = stderr.lastLines(5);
    lastExit = new ProcessExit(exitCode, tail, Instant.now());
    return new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name
        + " exited with code " + code + (closed ? "" : " after " + upFor.toMillis() + " ms")
        + (tail.isEmpty() ? "" : "; last stderr: " + tail));
  }

  private void restartLater(Duration delay) {
    log.info("upstream {} restarts in {} ms", name, delay.toMillis());
    Thread.ofVirtual().name("upstream-" + name + "-restart").start(() -> {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      Child child;
      try {
        child = launch();
      } catch (UpstreamException e) {
        log.warn("{}", e.getMessage());
        restartLater(backoff.next(Duration.ZERO));
        return;
      }
      if (closed) {
        // Closed while this process was launching: the close saw the previous one, so end this one too.
        close();
        return;
      }
      try {
        inbound.onReconnect();
      } catch (UpstreamException e) {
        // Its reader sees the exit and schedules the next attempt.
        log.warn("upstream {} restarted but negotiation failed: {}", name, e.getMessage());
        child.process.destroyForcibly();
      }
    });
  }

  @Override
  public void send(Exchange exchange, ObjectNode message) throws UpstreamException {
    Child child = current;
    // Checked after reading current: if that is a relaunched process, the crash before it already ended the exchange.
    if (exchange.isDone()) {
      return;
    }
    write(child, message);
  }

  @Override
  public void sendOneWay(ObjectNode message, String protocolVersion) throws UpstreamException {
    write(current, message);
  }

  private void write(Child child, ObjectNode message) throws UpstreamException {
    UpstreamException exit = child.exit;
    if (exit != null) {
      throw exit;
    }
    byte[] bytes = Json.bytes(message);
    IOException failure = null;
    writeLock.lock();
    try {
      child.stdin().write(bytes);
      child.stdin().write('\n');
      child.stdin().flush();
    } catch (IOException e) {
      failure = e;
    } finally {
      writeLock.unlock();
    }
    if (failure != null) {
      throw writeFailure(child, failure);
    }
  }

  private UpstreamException writeFailure(Child child, IOException e) {
    try {
      if (child.process.waitFor(1, TimeUnit.SECONDS)) {
        return exitCause(child);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    return new UpstreamException(UpstreamException.Kind.UNAVAILABLE, name, "upstream " + name
        + " cannot be written to (it closed stdin): " + e.getMessage(), e);
  }

  @Override
  public void negotiated(UpstreamInfo info) {}

  @Override
  public Optional<ProcessExit> lastExit() {
    return Optional.ofNullable(lastExit);
  }

  @Override
  public void close() {
    closed = true;
    Child child = current;
    if (child == null) {
      return;
    }
    Process process = child.process;
    try {
      writeLock.lock();
      try {
        child.stdin().close();
      } catch (IOException e) {
        log.debug("upstream {}: closing stdin failed", name, e);
      } finally {
        writeLock.unlock();
      }
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("upstream {} ignored stdin close and SIGTERM; killing it", name);
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
