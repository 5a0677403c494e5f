package dev.portcullis.testing;

import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testing.kit.McpFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fixture server (or any main class on the current classpath) running as a child JVM, over HTTP or stdio. Uses the
 * java of the running JVM ({@code java.home}) and its classpath; stderr is collected for failure messages.
 *
 * <pre>{@code
 * try (FixtureProcess acme = FixtureProcess.demoHttp()) {
 *   McpTestClient client = McpTestClient.stateless(acme.url());
 * }
 * }</pre>
 */
public final class FixtureProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI url;
  private final StringBuffer stderr;
  private final BufferedReader stdout;

  private FixtureProcess(Process process, URI url, BufferedReader stdout, StringBuffer stderr) {
    this.process = process;
    this.url = url;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The command line that runs {@code mainClass} with {@code args} in a fresh JVM (e.g. for a gateway's config). */
  public static List<String> command(Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    return List.copyOf(command);
  }

  /** Starts {@code mainClass --http 0 args...} and waits for its {@code LISTENING <url>} line. */
  public static FixtureProcess http(Class<?> mainClass, String... args) {
    List<String> all = new ArrayList<>(List.of("--http", "0"));
    all.addAll(List.of(args));
    Process process = start(command(mainClass, all));
    BufferedReader out = reader(process.getInputStream());
    StringBuffer errors = new StringBuffer();
    drain(process.getErrorStream(), errors);
    CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String line;
    try {
      line = firstLine.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException(mainClass.getSimpleName() + " did not print '" + McpFixture.LISTENING.strip()
          + " <url>' within " + START_TIMEOUT + "; stderr:\n" + errors, e);
    }
    if (line == null || !line.startsWith(McpFixture.LISTENING)) {
      process.destroyForcibly();
      throw new IllegalStateException(mainClass.getSimpleName() + " printed '" + line + "' instead of '"
          + McpFixture.LISTENING.strip() + " <url>'; stderr:\n" + errors);
    }
    drain(out, new StringBuffer());
    URI url = URI.create(line.substring(McpFixture.LISTENING.length()).strip());
    return new FixtureProcess(process, url, null, errors);
  }

  /** Starts {@code mainClass --stdio args...}; talk to it through {@link #stdin()} and {@link #stdout()}. */
  public static FixtureProcess stdio(Class<?> mainClass, String... args) {
    List<String> all = new ArrayList<>(List.of("--stdio"));
    all.addAll(List.of(args));
    Process process = start(command(mainClass, all));
    StringBuffer errors = new StringBuffer();
    drain(process.getErrorStream(), errors);
    return new FixtureProcess(process, null, reader(process.getInputStream()), errors);
  }

  /** The conformance fixture over HTTP on a wire ({@code 2026}, {@code 2025} or {@code both}). */
  public static FixtureProcess conformanceHttp(String wire) {
    return http(ConformanceServer.class, "--wire", wire);
  }

  /** The acme demo tool server over HTTP (both wires unless args say otherwise). */
  public static FixtureProcess demoHttp(String... args) {
    return http(DemoToolServer.class, args);
  }

  /** The acme demo tool server over stdio. */
  public static FixtureProcess demoStdio(String... args) {
    return stdio(DemoToolServer.class, args);
  }

  /** The MCP endpoint of an HTTP fixture. */
  public URI url() {
    if (url == null) {
      throw new IllegalStateException("this fixture runs over stdio; it has no URL");
    }
    return url;
  }

  public Process process() {
    return process;
  }

  /** The child's stdin (stdio fixtures: write one JSON-RPC message per line, then flush). */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** The child's stdout, one JSON-RPC message per line (stdio fixtures only). */
  public BufferedReader stdout() {
    if (stdout == null) {
      throw new IllegalStateException("this fixture runs over HTTP; its stdout is drained");
    }
    return stdout;
  }

  /** What the child wrote to stderr so far. */
  public String stderr() {
    return stderr.toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the child to exit on its own; the exit status, or empty on timeout. */
  public Optional<Integer> waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
        : Optional.empty();
  }

  /** Stops the child (closing stdin, then SIGTERM, then SIGKILL) and returns its exit status. */
  public int stop() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
    try {
      if (!process.waitFor(url == null ? 2 : 0, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  @Override
  public void close() {
    stop();
  }

  private static Process start(List<String> command) {
    try {
      return new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(0) + " for a fixture", e);
    }
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static void drain(InputStream in, StringBuffer sink) {
    drain(reader(in), sink);
  }

  private static void drain(BufferedReader lines, StringBuffer sink) {
    Thread.ofVirtual().start(() -> {
      try (BufferedReader reader = lines) {
        String line;
        while ((line = reader.readLine()) != null) {
          sink.append(line).append('\n');
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
  }
}
