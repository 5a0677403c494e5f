package dev.portcullis.upstream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Real MCP servers from npm, installed once into {@code target/npm-peers} and reused. Without npm the tests that need
 * them are skipped, except on CI ({@code CI=true}), where a missing peer is a failure.
 */
final class NpmPeers {
  static final String EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31";
  private static final Path DIR = Path.of("target", "npm-peers").toAbsolutePath();
  private static final ReentrantLock LOCK = new ReentrantLock();

  private NpmPeers() {}

  /** The entry script of server-everything, installing it first when needed. */
  static Path everything() throws Exception {
    Path script = DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    LOCK.lock();
    try {
      if (!Files.exists(script)) {
        install(EVERYTHING);
      }
    } finally {
      LOCK.unlock();
    }
    return script;
  }

  static String node() {
    return "node";
  }

  private static void install(String spec) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean npm = available("npm", "--version") && available("node", "--version");
    if (!ci) {
      assumeTrue(npm, "npm and node are not on PATH; skipping tests against " + spec);
    } else if (!npm) {
      throw new IllegalStateException("npm and node are needed for the tests against " + spec + " on CI");
    }
    Files.createDirectories(DIR);
    Process p = new ProcessBuilder("npm", "install", "--prefix", DIR.toString(), "--no-audit", "--no-fund", spec)
        .redirectErrorStream(true).redirectOutput(DIR.resolve("install.log").toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      String log = Files.readString(DIR.resolve("install.log"));
      if (!ci) {
        assumeTrue(false, "npm install " + spec + " failed (offline?): " + log);
      }
      throw new IllegalStateException("npm install " + spec + " failed: " + log);
    }
  }

  private static boolean available(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Where the HTTP server on {@code port} logs (it logs each session it opens, streams and terminates). */
  static Path log(int port) {
    return DIR.resolve("everything-http-" + port + ".log");
  }

  /** Starts server-everything's Streamable HTTP server on {@code port} and waits until it accepts connections. */
  static Process everythingHttp(int port) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of(node(), everything().toString(), "streamableHttp"))
        .redirectErrorStream(true).redirectOutput(log(port).toFile());
    builder.environment().put("PORT", String.valueOf(port));
    Process process = builder.start();
    for (int i = 0; i < 300; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return process;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("server-everything exited with " + process.exitValue());
        }
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("server-everything did not listen on port " + port);
  }
}
