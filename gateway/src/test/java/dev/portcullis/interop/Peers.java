package dev.portcullis.interop;

import dev.portcullis.json.Json;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testing.NodePeers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real MCP servers the end-to-end tests put behind the gateway, as policy-file command lines: the npm reference
 * servers (filesystem, memory, everything) run by Node 22, and the repository's acme demo server in a child JVM.
 */
final class Peers {
  private Peers() {}

  /** {@code server-filesystem} allowed to work inside {@code root}. */
  static String filesystem(Path root) {
    return flow(List.of(NodePeers.node().toString(), script("server-filesystem"), root.toString()));
  }

  /** {@code server-memory}; its knowledge graph goes to the file named by {@code MEMORY_FILE_PATH}. */
  static String memory() {
    return flow(List.of(NodePeers.node().toString(), script("server-memory")));
  }

  /** {@code server-everything} over stdio. */
  static String everythingStdio() {
    return flow(List.of(NodePeers.node().toString(), script("server-everything"), "stdio"));
  }

  /** The acme demo tool server over stdio, its files tools working in {@code sandbox}. */
  static String acme(Path sandbox) {
    return flow(acmeCommand(sandbox));
  }

  static List<String> acmeCommand(Path sandbox) {
    return FixtureProcess.command(DemoToolServer.class, List.of("--stdio", "--sandbox", sandbox.toString()));
  }

  /** A YAML flow sequence (JSON is YAML) of the given strings. */
  static String flow(List<String> items) {
    try {
      return Json.MAPPER.writeValueAsString(items);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A regular expression matching {@code dir} and everything under it, as a YAML single-quoted scalar. */
  static String under(Path dir) {
    return "'^" + dir.toString().replace(".", "\\.") + "/'";
  }

  private static String script(String server) {
    return NodePeers.module("@modelcontextprotocol/" + server + "/dist/index.js").toString();
  }

  /** {@code server-everything} over Streamable HTTP on a free loopback port, stopped on close. */
  static final class EverythingHttp implements AutoCloseable {
    private final Process process;
    private final int port;

    EverythingHttp() throws IOException, InterruptedException {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      List<String> command = new ArrayList<>(List.of(NodePeers.node().toString(), script("server-everything"),
          "streamableHttp"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("PORT", String.valueOf(port));
      process = builder.start();
      for (int i = 0; i < 600; i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          return;
        } catch (IOException e) {
          if (!process.isAlive()) {
            throw new IllegalStateException("server-everything (HTTP) exited with " + process.exitValue());
          }
          Thread.sleep(50);
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException("server-everything did not listen on port " + port + " within 30 s");
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
