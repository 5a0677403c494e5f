package dev.portcullis.bench.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * {@code tools/call} of the fixture's cheapest tool ({@code test_simple_text}) over Streamable HTTP, on either wire, as
 * a load generator sends it: request bodies built from a template, a pool of sessions on the 2025 wire (each a
 * client), and on the 2026 wire optionally the Portcullis session handle echoed back as a well-behaved client would.
 */
final class McpClient {
  static final String TOOL = "test_simple_text";
  static final String EXPECTED = "This is a simple text response for testing.";
  private static final Pattern HANDLE = Pattern.compile("\"dev\\.portcullis/session\"\\s*:\\s*\"([^\"]+)\"");

  /** The two MCP wires a client can speak. */
  enum Wire {
    V2026("2026-07-28"),
    V2025("2025-11-25");

    final String version;

    Wire(String version) {
      this.version = version;
    }
  }

  /**
   * Where calls go.
   *
   * @param tool the tool's name at this target ({@code fixture.test_simple_text} through the gateway)
   * @param bearer the agent's API key (null for the fixture, which takes none)
   * @param echoHandle on the 2026 wire, send back the session handle the gateway returned
   */
  record Target(String name, URI url, Wire wire, String tool, String bearer, boolean echoHandle) {}

  private final HttpClient http;
  private final Target target;
  private final List<String> sessions = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong(1);
  private volatile String handle;

  private McpClient(HttpClient http, Target target) {
    this.http = http;
    this.target = target;
  }

  /** A client of {@code target}; on the 2025 wire with {@code sessions} initialized sessions used in turn. */
  static McpClient open(HttpClient http, Target target, int sessions) throws Exception {
    McpClient client = new McpClient(http, target);
    if (target.wire() == Wire.V2025) {
      // in parallel: behind supergateway each initialize launches a server process
      List<java.util.concurrent.Future<String>> opened = new ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
        for (int i = 0; i < sessions; i++) {
          opened.add(pool.submit(client::initialize));
        }
        for (var session : opened) {
          client.sessions.add(session.get());
        }
      }
    }
    return client;
  }

  Target target() {
    return target;
  }

  /** Opens one more 2025 session and returns its id (for the memory-per-session measurement). */
  String initialize() throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
        + Wire.V2025.version + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"portcullis-bench\",\"version\":\"1\"}}}";
    ContentResponse init = base(body).send();
    String session = init.getHeaders().get("Mcp-Session-Id");
    if (init.getStatus() != 200 || session == null) {
      throw new IllegalStateException(target.name() + ": initialize answered " + init.getStatus() + " without a session: "
          + init.getContentAsString());
    }
    ContentResponse initialized = base("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
        .headers(h -> h.put("Mcp-Session-Id", session).put("MCP-Protocol-Version", Wire.V2025.version)).send();
    if (initialized.getStatus() / 100 != 2) {
      throw new IllegalStateException(target.name() + ": notifications/initialized answered " + initialized.getStatus());
    }
    return session;
  }

  /** Sends one 2026 call without a session handle (each opens a Portcullis session: the memory measurement). */
  ContentResponse callWithoutHandle() throws Exception {
    return base(body(ids.getAndIncrement(), null)).headers(h -> h.put("MCP-Protocol-Version", Wire.V2026.version)
        .put("Mcp-Method", "tools/call").put("Mcp-Name", target.tool())).send();
  }

  /** The next call, ready to send. */
  Request call() {
    long id = ids.getAndIncrement();
    if (target.wire() == Wire.V2025) {
      String session = sessions.get((int) (id % sessions.size()));
      return base(body(id, null)).headers(h -> h.put("Mcp-Session-Id", session)
          .put("MCP-Protocol-Version", Wire.V2025.version));
    }
    return base(body(id, target.echoHandle() ? handle : null)).headers(h -> h
        .put("MCP-Protocol-Version", Wire.V2026.version).put("Mcp-Method", "tools/call").put("Mcp-Name", target.tool()));
  }

  /** Whether an answer is the tool's real result; remembers the session handle of a 2026 answer. */
  boolean ok(int status, String content) {
    if (status != 200 || content == null || !content.contains(EXPECTED) || content.contains("\"isError\":true")) {
      return false;
    }
    if (target.echoHandle() && handle == null) {
      Matcher m = HANDLE.matcher(content);
      if (m.find()) {
        handle = m.group(1);
      }
    }
    return true;
  }

  private String body(long id, String sessionHandle) {
    StringBuilder b = new StringBuilder(320).append("{\"jsonrpc\":\"2.0\",\"id\":").append(id)
        .append(",\"method\":\"tools/call\",\"params\":{\"name\":\"").append(target.tool()).append("\",\"arguments\":{}");
    if (target.wire() == Wire.V2026) {
      b.append(",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"").append(Wire.V2026.version)
          .append("\",\"io.modelcontextprotocol/clientCapabilities\":{},")
          .append("\"io.modelcontextprotocol/clientInfo\":{\"name\":\"portcullis-bench\",\"version\":\"1\"}");
      if (sessionHandle != null) {
        b.append(",\"dev.portcullis/session\":\"").append(sessionHandle).append('"');
      }
      b.append('}');
    }
    return b.append("}}").toString();
  }

  private Request base(String body) {
    Request request = http.newRequest(target.url()).method(HttpMethod.POST).timeout(60, TimeUnit.SECONDS)
        .headers(h -> h.put("Accept", "application/json, text/event-stream"))
        .body(new StringRequestContent("application/json", body));
    if (target.bearer() != null) {
      request.headers(h -> h.put("Authorization", "Bearer " + target.bearer()));
    }
    return request;
  }
}
