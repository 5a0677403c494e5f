package dev.portcullis.toolapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpException;
import dev.portcullis.mcp.Message;
import dev.portcullis.pipeline.Exchange;
import dev.portcullis.pipeline.Pipeline;
import dev.portcullis.pipeline.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The plain HTTP tool API, for agent frameworks that do not speak MCP: {@code GET /api/v1/tools} lists the caller's
 * tools and {@code POST /api/v1/tools/{name}:call} calls one with a JSON object of arguments. Each request becomes an
 * {@link Exchange} on the {@link Exchange.Wire#HTTP_API} wire and runs through the same {@link Pipeline} as MCP: the
 * same bearer keys, policy, argument checks and audit log. {@code GET /api/v1/openapi.json} describes the API.
 */
public final class ToolApiHandler extends Handler.Abstract {
  /** Where the API lives. */
  public static final String BASE = "/api/v1";
  /** What the audit log records as the protocol of API requests. */
  public static final String PROTOCOL = "portcullis-http-api/1";

  private static final String TOOLS = BASE + "/tools";
  private static final String CALL_SUFFIX = ":call";

  private final Pipeline pipeline;
  private final long maxBodyBytes;
  private final byte[] openApi;

  /**
   * @param pipeline the gateway's request path
   * @param maxBodyBytes the largest request body accepted ({@code server.limits.max_body_bytes})
   */
  public ToolApiHandler(Pipeline pipeline, long maxBodyBytes) {
    this.pipeline = pipeline;
    this.maxBodyBytes = maxBodyBytes;
    this.openApi = OpenApi.document();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(BASE + "/")) {
      return false;
    }
    String method = request.getMethod();
    try {
      if (path.equals(BASE + "/openapi.json")) {
        requireMethod(method, "GET");
        send(response, callback, 200, openApi);
      } else if (path.equals(TOOLS)) {
        requireMethod(method, "GET");
        list(request, response, callback);
      } else if (path.startsWith(TOOLS + "/") && path.endsWith(CALL_SUFFIX)) {
        requireMethod(method, "POST");
        String name = URLDecoder.decode(path.substring(TOOLS.length() + 1, path.length() - CALL_SUFFIX.length()),
            StandardCharsets.UTF_8);
        call(request, response, callback, name);
      } else {
        throw new ApiProblem(404, "not_found", "No such endpoint: " + method + " " + path
            + "; the API has GET " + TOOLS + ", POST " + TOOLS + "/{name}:call and GET " + BASE + "/openapi.json");
      }
    } catch (ApiProblem problem) {
      if (problem.status() == 405) {
        response.getHeaders().put(HttpHeader.ALLOW, problem.allow());
      }
      // The pipeline's refusals name the exact challenge (resource metadata, error code, scope).
      com.fasterxml.jackson.databind.JsonNode challenge = problem.body().path("error").path("data")
          .path(dev.portcullis.pipeline.Pipeline.WWW_AUTHENTICATE);
      if (challenge.isTextual() && (problem.status() == 401 || problem.status() == 403)) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, challenge.asText());
      }
      send(response, callback, problem.status(), Json.bytes(problem.body()));
    }
    return true;
  }

  private void list(Request request, Response response, Callback callback) throws ApiProblem {
    String id = requestId(request);
    Reply reply = pipeline.handle(exchange(request, id, "tools/list", Json.object()));
    response.getHeaders().put("X-Request-Id", id);
    switch (reply) {
      case Reply.Result r -> {
        ObjectNode body = Json.object();
        body.set("tools", r.result().path("tools"));
        send(response, callback, 200, Json.bytes(body));
      }
      case Reply.Error e -> throw ApiProblem.from(e.error());
    }
  }

  private void call(Request request, Response response, Callback callback, String name) throws ApiProblem {
    JsonNode arguments = readArguments(request, name);
    String id = requestId(request);
    ObjectNode params = Json.object().put("name", name);
    params.set("arguments", arguments);
    Reply reply = pipeline.handle(exchange(request, id, "tools/call", params));
    response.getHeaders().put("X-Request-Id", id);
    switch (reply) {
      case Reply.Result r -> {
        ObjectNode result = r.result();
        ApiProblem problem = ApiProblem.fromResult(name, result);
        if (problem != null) {
          throw problem;
        }
        result.remove("resultType");
        send(response, callback, 200, Json.bytes(result));
      }
      case Reply.Error e -> throw ApiProblem.from(e.error());
    }
  }

  private Exchange exchange(Request request, String id, String method, ObjectNode params) {
    ObjectNode raw = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
    raw.set("params", params);
    Message message;
    try {
      message = Message.of(raw);
    } catch (McpException e) {
      throw new IllegalStateException("the tool API built an invalid message: " + e.error().message(), e);
    }
    ObjectNode clientInfo = Json.object().put("name", "http-api");
    String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
    if (agent != null) {
      clientInfo.put("userAgent", agent.length() > 200 ? agent.substring(0, 200) : agent);
    }
    return Exchange.builder(message, Exchange.Wire.HTTP_API, PROTOCOL)
        .clientInfo(clientInfo)
        .bearer(bearer(request))
        .build();
  }

  private JsonNode readArguments(Request request, String tool) throws ApiProblem {
    HttpField type = request.getHeaders().getField(HttpHeader.CONTENT_TYPE);
    if (type == null || !type.getValue().regionMatches(true, 0, "application/json", 0, 16)) {
      throw new ApiProblem(415, "unsupported_media_type", "Send the arguments as a JSON object with 'Content-Type: "
          + "application/json' (got " + (type == null ? "no Content-Type" : "'" + type.getValue() + "'") + ")");
    }
    if (request.getLength() > maxBodyBytes) {
      throw tooLarge(request.getLength());
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > maxBodyBytes) {
      throw tooLarge(bytes.length);
    }
    if (bytes.length == 0) {
      return Json.object();
    }
    JsonNode arguments;
    try {
      arguments = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiProblem(400, "invalid_json", "The body is not JSON: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
          + ". Send the tool's arguments as one JSON object, e.g. {\"path\": \"reports/q3.txt\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (arguments == null || !arguments.isObject()) {
      throw new ApiProblem(400, "arguments_not_object", "The body must be a JSON object of arguments for '" + tool
          + "', got " + (arguments == null ? "nothing" : arguments.getNodeType().name().toLowerCase(Locale.ROOT))
          + "; GET " + TOOLS + " shows each tool's inputSchema");
    }
    return arguments;
  }

  private ApiProblem tooLarge(long size) {
    return new ApiProblem(413, "body_too_large", "Request body of " + size + " bytes exceeds the limit of "
        + maxBodyBytes + " bytes (server.limits.max_body_bytes)");
  }

  private static void requireMethod(String actual, String allowed) throws ApiProblem {
    if (!allowed.equals(actual)) {
      throw ApiProblem.methodNotAllowed(actual, allowed);
    }
  }

  /** The caller's {@code X-Request-Id} when it is a short token, else a fresh one; it names the audit entry. */
  private static String requestId(Request request) {
    String given = request.getHeaders().get("X-Request-Id");
    if (given != null && given.matches("[A-Za-z0-9._:-]{1,64}")) {
      return given;
    }
    return "api-" + UUID.randomUUID();
  }

  private static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    String value = header.strip();
    return value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : "";
  }

  private static void send(Response response, Callback callback, int status, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    if (status == 401 && !response.getHeaders().contains(HttpHeader.WWW_AUTHENTICATE)) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"portcullis\"");
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
