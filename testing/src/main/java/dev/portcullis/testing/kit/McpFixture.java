package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small MCP server: a catalog of tools, prompts and resources with handler lambdas, served over Streamable HTTP
 * ({@code /mcp} on 127.0.0.1) or stdio, on the 2026-07-28 wire, the 2025 wire, or both.
 *
 * <pre>{@code
 * McpFixture fixture = McpFixture.builder("acme", "1.0.0")
 *     .tool("""{"name": "echo", "description": "Echoes", "inputSchema": {"type": "object"}}""",
 *           request -> Reply.text(request.arguments().toString()))
 *     .build();
 * try (McpFixture.Running running = fixture.startHttp(0, EnumSet.allOf(Wire.class))) { ... running.url() ... }
 * }</pre>
 */
public final class McpFixture {
  /** The first stdout line of a fixture serving HTTP: {@code LISTENING http://127.0.0.1:PORT/mcp}. */
  public static final String LISTENING = "LISTENING ";

  private final String name;
  private final String version;
  private final String instructions;
  private final Catalog catalog;
  private final Dispatcher dispatcher;
  private final Subscriptions subscriptions = new Subscriptions();

  private McpFixture(Builder builder) {
    this.name = builder.name;
    this.version = builder.version;
    this.instructions = builder.instructions;
    this.catalog = builder.catalog;
    this.dispatcher = new Dispatcher(this, catalog);
  }

  /**
   * Sends library logging (Jetty via SLF4J) nowhere unless {@code -Dslf4j.provider} is set: fixture processes keep
   * stdout for MCP and stderr for their own messages. Call first thing in {@code main}.
   */
  public static void silenceLibraryLogging() {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
  }

  public static Builder builder(String name, String version) {
    return new Builder(name, version);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public Optional<String> instructions() {
    return Optional.ofNullable(instructions);
  }

  /** Tells listeners (2026 listen streams asking for it, 2025 GET streams) that the tool list changed. */
  public void notifyToolsChanged() {
    subscriptions.toolsChanged();
  }

  public void notifyPromptsChanged() {
    subscriptions.promptsChanged();
  }

  public void notifyResourcesChanged() {
    subscriptions.resourcesChanged();
  }

  /** Tells clients subscribed to this resource URI that it changed. */
  public void notifyResourceUpdated(String uri) {
    subscriptions.resourceUpdated(uri);
  }

  /** A running HTTP server. */
  public interface Running extends AutoCloseable {
    /** The MCP endpoint, {@code http://127.0.0.1:PORT/mcp}. */
    URI url();

    /** Blocks until the server stops. */
    void join() throws InterruptedException;

    @Override
    void close();
  }

  /** Serves Streamable HTTP on 127.0.0.1 ({@code port} 0 picks a free port). */
  public Running startHttp(int port, Set<Wire> wires) throws Exception {
    requireWires(wires);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
    server.addConnector(connector);
    HttpFront front = new HttpFront(this, wires);
    server.setHandler(front);
    server.setStopTimeout(2_000);
    server.start();
    URI url = URI.create("http://127.0.0.1:" + connector.getLocalPort() + HttpFront.PATH);
    return new Running() {
      @Override
      public URI url() {
        return url;
      }

      @Override
      public void join() throws InterruptedException {
        server.join();
      }

      @Override
      public void close() {
        front.shutdown();
        try {
          server.stop();
        } catch (Exception e) {
          throw new IllegalStateException("could not stop the fixture's HTTP server on " + url, e);
        }
      }
    };
  }

  /** Serves newline-delimited JSON-RPC until {@code in} ends. */
  public void serveStdio(InputStream in, OutputStream out, Set<Wire> wires) throws IOException {
    requireWires(wires);
    new StdioFront(this, wires, out).run(in);
  }

  /**
   * Runs the fixture as a process: {@code [--http PORT | --stdio] [--wire 2026|2025|both]} (default stdio, both).
   * Over HTTP the first stdout line is {@code LISTENING <url>}; over stdio stdout carries only MCP messages. Anything
   * else the JVM prints goes to stderr.
   */
  public void serve(List<String> args) throws Exception {
    Integer port = null;
    Set<Wire> wires = EnumSet.allOf(Wire.class);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--http" -> port = parsePort(value(args, ++i, arg));
        case "--stdio" -> port = null;
        case "--wire" -> wires = Wire.parse(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + name
            + " takes [--http PORT | --stdio] [--wire 2026|2025|both]");
      }
    }
    PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    if (port == null) {
      serveStdio(System.in, protocolOut, wires);
      return;
    }
    Running running = startHttp(port, wires);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "fixture-shutdown"));
    protocolOut.println(LISTENING + running.url());
    System.err.println(name + " " + version + ": serving MCP at " + running.url() + " (wires " + wires + ")");
    running.join();
  }

  Catalog catalog() {
    return catalog;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  private static void requireWires(Set<Wire> wires) {
    if (wires == null || wires.isEmpty()) {
      throw new IllegalArgumentException("a fixture needs at least one wire (Wire.STATELESS, Wire.STATEFUL)");
    }
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(index);
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--http '" + text + "' is not a port (0-65535; 0 picks a free one)");
    }
  }

  /** Collects the catalog; definitions are MCP JSON (a Tool, Prompt, Resource or ResourceTemplate object). */
  public static final class Builder {
    private final String name;
    private final String version;
    private final Catalog catalog = new Catalog();
    private String instructions;
    private boolean validateArguments = true;
    private java.util.function.BiFunction<String, Handler, Handler> toolWrapper;

    private Builder(String name, String version) {
      this.name = Objects.requireNonNull(name, "name");
      this.version = Objects.requireNonNull(version, "version");
    }

    public Builder instructions(String text) {
      this.instructions = text;
      return this;
    }

    /** Whether tools/call arguments are checked against each tool's inputSchema (default true). */
    public Builder validateArguments(boolean validate) {
      this.validateArguments = validate;
      return this;
    }

    public Builder tool(String definitionJson, Handler handler) {
      return tool(Json.parseObject(definitionJson), handler);
    }

    public Builder tool(ObjectNode definition, Handler handler) {
      catalog.addTool(definition, Objects.requireNonNull(handler, "handler"), validateArguments);
      return this;
    }

    public Builder prompt(String definitionJson, Handler handler) {
      return prompt(Json.parseObject(definitionJson), handler);
    }

    public Builder prompt(ObjectNode definition, Handler handler) {
      catalog.addPrompt(definition, Objects.requireNonNull(handler, "handler"));
      return this;
    }

    public Builder resource(String definitionJson, Handler handler) {
      return resource(Json.parseObject(definitionJson), handler);
    }

    public Builder resource(ObjectNode definition, Handler handler) {
      catalog.addResource(definition, Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** A resource template; its handler sees the template variables as {@link McpRequest#arguments()}. */
    public Builder resourceTemplate(String definitionJson, Handler handler) {
      catalog.addTemplate(Json.parseObject(definitionJson), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** Answers completion/complete; the handler sees {@code params.argument} as its arguments. */
    public Builder completion(Handler handler) {
      catalog.completion = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Wraps every tool handler when the fixture is built: {@code wrapper.apply(toolName, handler)} returns the handler
     * that runs instead (a hook for checks that precede every call, such as per-call token verification).
     */
    public Builder aroundTools(java.util.function.BiFunction<String, Handler, Handler> wrapper) {
      this.toolWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    public McpFixture build() {
      if (toolWrapper != null) {
        catalog.wrapTools(toolWrapper);
      }
      return new McpFixture(this);
    }
  }
}
