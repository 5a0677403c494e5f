package dev.portcullis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.Wire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A tiny MCP client for tests over Streamable HTTP: 2026-07-28 requests (headers and {@code _meta} filled in) or a
 * 2025-11-25 session ({@code initialize}, {@code Mcp-Session-Id}). Reads JSON and SSE answers; on the 2025 wire it
 * answers server-to-client requests with {@link #onServerRequest}.
 */
public final class McpTestClient implements AutoCloseable {
  public static final String STATELESS_VERSION = "2026-07-28";
  public static final String STATEFUL_VERSION = "2025-11-25";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI url;
  private final Wire wire;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, String> extraHeaders = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong(1);
  private ObjectNode capabilities = Json.object();
  private Function<ObjectNode, ObjectNode> serverRequests = request -> {
    throw new IllegalStateException("unexpected server-to-client request " + request.path("method").asText()
        + "; set McpTestClient.onServerRequest to answer it");
  };
  private String sessionId;
  private String negotiatedVersion;

  private McpTestClient(URI url, Wire wire) {
    this.url = url;
    this.wire = wire;
  }

  /** A client of the stateless 2026-07-28 wire. */
  public static McpTestClient stateless(URI url) {
    return new McpTestClient(url, Wire.STATELESS);
  }

  /** A client of the stateful 2025-11-25 wire; the first request initializes the session. */
  public static McpTestClient stateful(URI url) {
    return new McpTestClient(url, Wire.STATEFUL);
  }

  /** Adds a header to every request (e.g. Authorization). */
  public McpTestClient header(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  /** Client capabilities: per request on 2026, in initialize on 2025 (default: none). */
  public McpTestClient capabilities(ObjectNode capabilities) {
    this.capabilities = capabilities.deepCopy();
    return this;
  }

  /** Answers server-to-client requests (2025 wire): receives the request message, returns the result object. */
  public McpTestClient onServerRequest(Function<ObjectNode, ObjectNode> answer) {
    this.serverRequests = answer;
    return this;
  }

  public Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  /** 2025: sends initialize and notifications/initialized; returns the initialize result. */
  public ObjectNode initialize() {
    if (wire != Wire.STATEFUL) {
      throw new IllegalStateException("initialize belongs to the 2025 wire; a stateless client sends server/discover");
    }
    ObjectNode params = Json.object().put("protocolVersion", STATEFUL_VERSION);
    params.set("capabilities", capabilities);
    params.putObject("clientInfo").put("name", "portcullis-test-client").put("version", "1.0.0");
    ObjectNode message = message("initialize", params);
    Response response = send(message, Map.of());
    ObjectNode result = response.result();
    sessionId = response.header("mcp-session-id").orElseThrow(() ->
        new IllegalStateException("initialize answered without an Mcp-Session-Id header: " + response));
    negotiatedVersion = result.path("protocolVersion").asText(STATEFUL_VERSION);
    ObjectNode initialized = Json.object().put("jsonrpc", "2.0").put("method", "notifications/initialized");
    send(initialized, sessionHeaders());
    return result;
  }

  /**
   * Sends a request with the wire's headers and envelope and returns the answer (result or error). On 2026 the
   * {@code _meta} fields are added to {@code params} unless already present.
   */
  public Response request(String method, ObjectNode params) {
    ObjectNode body = params == null ? Json.object() : params.deepCopy();
    if (wire == Wire.STATELESS) {
      ObjectNode meta = body.get("_meta") instanceof ObjectNode m ? m : body.putObject("_meta");
      if (!meta.has("io.modelcontextprotocol/protocolVersion")) {
        meta.put("io.modelcontextprotocol/protocolVersion", STATELESS_VERSION);
      }
      if (!meta.has("io.modelcontextprotocol/clientCapabilities")) {
        meta.set("io.modelcontextprotocol/clientCapabilities", capabilities);
      }
      if (!meta.has("io.modelcontextprotocol/clientInfo")) {
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "portcullis-test-client")
            .put("version", "1.0.0");
      }
      return send(message(method, body), standardHeaders(method, body));
    }
    if (sessionId == null) {
      initialize();
    }
    return send(message(method, body), sessionHeaders());
  }

  /** Like {@link #request} but returns the result, failing with the JSON-RPC error when there is one. */
  public ObjectNode result(String method, ObjectNode params) {
    return request(method, params).result();
  }

  /** tools/call with arguments. */
  public Response callTool(String name, ObjectNode arguments) {
    ObjectNode params = Json.object().put("name", name);
    params.set("arguments", arguments == null ? Json.object() : arguments);
    return request("tools/call", params);
  }

  /**
   * POSTs one JSON-RPC message with exactly these headers (plus Content-Type, Accept and {@link #header} ones) and
   * reads the answer; for negative tests that need wrong or missing headers.
   */
  public Response send(ObjectNode message, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(message), StandardCharsets.UTF_8));
    extraHeaders.forEach(builder::header);
    headers.forEach(builder::header);
    try {
      HttpResponse<Stream<String>> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
      return read(response, message.get("id"));
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + url, e);
    }
  }

  /** 2025: ends the session with DELETE (no-op without one). */
  @Override
  public void close() {
    try {
      if (sessionId != null) {
        HttpRequest.Builder delete = HttpRequest.newBuilder(url).timeout(TIMEOUT).DELETE();
        extraHeaders.forEach(delete::header);
        sessionHeaders().forEach(delete::header);
        http.send(delete.build(), HttpResponse.BodyHandlers.discarding());
        sessionId = null;
      }
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      http.close();
    }
  }

  /** The standard 2026 headers for a request: MCP-Protocol-Version, Mcp-Method and (where defined) Mcp-Name. */
  public static Map<String, String> standardHeaders(String method, ObjectNode params) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("MCP-Protocol-Version", params.path("_meta").path("io.modelcontextprotocol/protocolVersion")
        .asText(STATELESS_VERSION));
    headers.put("Mcp-Method", method);
    String name = switch (method) {
      case "tools/call", "prompts/get" -> params.path("name").asText(null);
      case "resources/read" -> params.path("uri").asText(null);
      default -> null;
    };
    if (name != null) {
      headers.put("Mcp-Name", headerValue(name));
    }
    return headers;
  }

  /** A header-safe value: as is when plain visible ASCII, else the {@code =?base64?...?=} form. */
  public static String headerValue(String value) {
    boolean plain = !value.isEmpty() && value.equals(value.strip()) && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
        && !(value.startsWith("=?base64?") && value.endsWith("?="));
    return plain ? value
        : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  private Map<String, String> sessionHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (sessionId != null) {
      headers.put("Mcp-Session-Id", sessionId);
    }
    headers.put("MCP-Protocol-Version", negotiatedVersion == null ? STATEFUL_VERSION : negotiatedVersion);
    return headers;
  }

  private ObjectNode message(String method, ObjectNode params) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", ids.getAndIncrement()).put("method", method);
    message.set("params", params);
    return message;
  }

  private Response read(HttpResponse<Stream<String>> response, JsonNode id) {
    String contentType = response.headers().firstValue("content-type").orElse("");
    List<ObjectNode> messages = new ArrayList<>();
    ObjectNode body = null;
    try (Stream<String> lines = response.body()) {
      if (contentType.contains("text/event-stream")) {
        StringBuilder data = new StringBuilder();
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.startsWith("data:")) {
            data.append(line.substring(5).strip());
          } else if (line.isEmpty() && !data.isEmpty()) {
            ObjectNode event = (ObjectNode) Json.parse(data.toString());
            data.setLength(0);
            messages.add(event);
            if (event.has("method") && event.has("id")) {
              answerServerRequest(event);
            } else if (id != null && event.has("id") && id.asText().equals(event.get("id").asText())) {
              body = event;
              break;
            }
          }
        }
      } else {
        String text = String.join("\n", lines.toList());
        if (!text.isBlank()) {
          JsonNode parsed = Json.parse(text);
          if (parsed instanceof ObjectNode object) {
            body = object;
            messages.add(object);
          }
        }
      }
    }
    return new Response(response.statusCode(), contentType, response.headers().map(), List.copyOf(messages), body);
  }

  private void answerServerRequest(ObjectNode request) {
    ObjectNode answer = Json.object().put("jsonrpc", "2.0");
    answer.set("id", request.get("id"));
    try {
      answer.set("result", serverRequests.apply(request));
    } catch (RuntimeException e) {
      answer.putObject("error").put("code", -32603).put("message", String.valueOf(e.getMessage()));
    }
    send(answer, sessionHeaders());
  }

  /**
   * An HTTP answer: status, content type, headers, every JSON-RPC message received (SSE events in order), and the
   * response to the request ({@code body}; null for 202 and empty answers).
   */
  public record Response(int status, String contentType, Map<String, List<String>> headers, List<ObjectNode> messages,
                         ObjectNode body) {
    public Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst();
    }

    public boolean isError() {
      return body != null && body.has("error");
    }

    /** The result; throws AssertionError naming the error when the answer is not a result. */
    public ObjectNode result() {
      if (body == null || !(body.get("result") instanceof ObjectNode result)) {
        throw new AssertionError("expected a JSON-RPC result, got HTTP " + status + " " + body);
      }
      return result;
    }

    /** The JSON-RPC error object; throws AssertionError when the answer is not an error. */
    public ObjectNode error() {
      if (body == null || !(body.get("error") instanceof ObjectNode error)) {
        throw new AssertionError("expected a JSON-RPC error, got HTTP " + status + " " + body);
      }
      return error;
    }

    /** Notifications received before the response (progress, log messages). */
    public List<ObjectNode> notifications() {
      return messages.stream().filter(m -> m.has("method") && !m.has("id")).toList();
    }
  }
}
