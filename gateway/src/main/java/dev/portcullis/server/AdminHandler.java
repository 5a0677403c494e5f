package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Operational endpoints beside the MCP endpoint: liveness ({@code /healthz}), readiness ({@code /readyz}: upstreams
 * started, catalog loaded, not shutting down) and the OAuth Protected Resource Metadata (RFC 9728).
 */
final class AdminHandler extends Handler.Abstract.NonBlocking {
  private final Supplier<ObjectNode> readiness;
  private final Supplier<ObjectNode> resourceMetadata;

  AdminHandler(Supplier<ObjectNode> readiness, Supplier<ObjectNode> resourceMetadata) {
    this.readiness = readiness;
    this.resourceMetadata = resourceMetadata;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      return false;
    }
    switch (path) {
      case "/healthz" -> write(response, callback, 200, Json.object().put("status", "alive"));
      case "/readyz" -> {
        ObjectNode ready = readiness.get();
        write(response, callback, ready.path("ready").asBoolean() ? 200 : 503, ready);
      }
      case "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp" ->
          write(response, callback, 200, resourceMetadata.get());
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void write(Response response, Callback callback, int status, ObjectNode body) {
    byte[] bytes = Json.bytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
