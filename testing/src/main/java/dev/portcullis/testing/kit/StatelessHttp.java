package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The 2026-07-28 side of the endpoint: every POST stands alone; headers must mirror the body. */
final class StatelessHttp {
  private final McpFixture fixture;
  private final Set<SseStream> longStreams;

  StatelessHttp(McpFixture fixture, Set<SseStream> longStreams) {
    this.fixture = fixture;
    this.longStreams = longStreams;
  }

  void post(Request request, Response response, Callback callback, ObjectNode message) throws Exception {
    JsonNode id = message.get("id");
    HttpExchange exchange = new HttpExchange(response, null);
    try {
      String method = message.path("method").asText(null);
      if (method == null) {
        throw new McpError(McpError.INVALID_REQUEST, message.has("result") || message.has("error")
            ? "Invalid Request: the 2026-07-28 wire has no server-to-client requests, so there is nothing to answer"
            : "Invalid Request: a JSON-RPC request needs a method", null, 400);
      }
      JsonNode rawParams = message.get("params");
      if (rawParams != null && !rawParams.isObject()) {
        throw McpError.badEnvelope("Invalid params: params must be an object");
      }
      ObjectNode params = rawParams == null ? Json.object() : (ObjectNode) rawParams;
      if (id == null) {
        // 2026-07-28 defines no client notifications over HTTP and no header rules for them: accept and ignore.
        HttpIo.empty(response, callback, 202, Map.of());
        return;
      }
      String headerVersion = HttpIo.header(request, "MCP-Protocol-Version");
      if (headerVersion == null) {
        throw McpError.headerMismatch("Header mismatch: the MCP-Protocol-Version header is required (e.g. "
            + Wire.STATELESS.latest() + ")");
      }
      checkStandardHeaders(request, method, params);
      Envelope envelope = Envelope.read(params);
      if (!envelope.protocolVersion().equals(headerVersion)) {
        throw McpError.headerMismatch("Header mismatch: MCP-Protocol-Version header '" + headerVersion
            + "' does not match _meta io.modelcontextprotocol/protocolVersion '" + envelope.protocolVersion() + "'");
      }
      envelope.requireSupported();
      if (method.equals("subscriptions/listen")) {
        listen(response, callback, id, params);
        return;
      }
      if (method.equals("tools/call")) {
        checkParamHeaders(request, params);
      }
      Call call = new Call(Wire.STATELESS, envelope.protocolVersion(), method, id, params,
          envelope.clientCapabilities(), envelope.logLevel(), null, exchange, name -> HttpIo.header(request, name));
      exchange.reply(HttpIo.result(id, fixture.dispatcher().dispatch(call)), 200, callback);
    } catch (McpError e) {
      exchange.replyError(id, e, e.httpStatus(), callback);
    }
  }

  private void listen(Response response, Callback callback, JsonNode id, ObjectNode params)
      throws InterruptedException {
    SseStream stream = new SseStream(response, Map.of());
    Subscriptions.Listener listener = fixture.subscriptions().open(id, params, fixture.catalog(), stream);
    longStreams.add(stream);
    try {
      if (stream.awaitEnd() && stream.isOpen()) {
        ObjectNode result = Json.object().put("resultType", "complete");
        result.putObject("_meta").set("io.modelcontextprotocol/subscriptionId", id);
        stream.send(HttpIo.result(id, result));
      }
    } finally {
      fixture.subscriptions().close(listener);
      longStreams.remove(stream);
      stream.finish(callback);
    }
  }

  /** Mcp-Method must equal the body method; Mcp-Name must equal params.name / params.uri where the method has one. */
  private static void checkStandardHeaders(Request request, String method, ObjectNode params) {
    String headerMethod = HttpIo.header(request, "Mcp-Method");
    if (headerMethod == null) {
      throw McpError.headerMismatch("Header mismatch: the Mcp-Method header is required and must equal the body "
          + "method '" + method + "'");
    }
    if (!headerMethod.equals(method)) {
      throw McpError.headerMismatch("Header mismatch: Mcp-Method header value '" + headerMethod
          + "' does not match body method '" + method + "' (values are case-sensitive)");
    }
    String field = switch (method) {
      case "tools/call", "prompts/get" -> "name";
      case "resources/read" -> "uri";
      default -> null;
    };
    if (field == null || !params.path(field).isTextual()) {
      return;
    }
    String expected = params.get(field).asText();
    String headerName = HttpIo.header(request, "Mcp-Name");
    if (headerName == null) {
      throw McpError.headerMismatch("Header mismatch: the Mcp-Name header is required for " + method
          + " and must equal params." + field + " '" + expected + "'");
    }
    String decoded = HttpIo.decodeHeaderValue("Mcp-Name", headerName);
    if (!decoded.equals(expected)) {
      throw McpError.headerMismatch("Header mismatch: Mcp-Name header value '" + headerName
          + "' does not match body params." + field + " '" + expected + "'");
    }
  }

  /** Each x-mcp-header argument must be mirrored in its Mcp-Param-{Name} header, and nothing else claimed there. */
  private void checkParamHeaders(Request request, ObjectNode params) {
    Catalog.ToolEntry tool = fixture.catalog().tools.get(params.path("name").asText());
    if (tool == null || tool.headerParams().isEmpty()) {
      return;
    }
    JsonNode arguments = params.path("arguments");
    tool.headerParams().forEach((property, suffix) -> {
      String headerName = "Mcp-Param-" + suffix;
      String header = HttpIo.header(request, headerName);
      JsonNode value = arguments.get(property);
      boolean absent = value == null || value.isNull();
      if (absent) {
        if (header != null) {
          throw McpError.headerMismatch("Header mismatch: " + headerName + " is present but arguments." + property
              + " is absent");
        }
        return;
      }
      if (header == null) {
        throw McpError.headerMismatch("Header mismatch: arguments." + property + " is set but the " + headerName
            + " header that tool '" + tool.name() + "' declares (x-mcp-header) is missing");
      }
      String decoded = HttpIo.decodeHeaderValue(headerName, header);
      if (!matches(value, decoded)) {
        throw McpError.headerMismatch("Header mismatch: " + headerName + " value '" + header
            + "' does not match arguments." + property + " " + value);
      }
    });
  }

  private static boolean matches(JsonNode value, String header) {
    if (value.isTextual()) {
      return value.asText().equals(header);
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.asBoolean()).equals(header);
    }
    if (value.isNumber()) {
      try {
        return value.decimalValue().compareTo(new BigDecimal(header)) == 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return false;
  }
}
