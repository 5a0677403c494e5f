package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.identity.ProtectedResourceMetadata;
import dev.portcullis.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Operational endpoints beside the MCP endpoint: liveness ({@code /healthz}), readiness ({@code /readyz}: every
 * upstream serving and not shutting down, see {@link Readiness}), the OAuth Protected Resource Metadata (RFC 9728)
 * naming the trusted identity providers, the gateway's own authorization server metadata (RFC 8414: token exchange only), its public
 * signing keys ({@code /.well-known/jwks.json}, what tool servers verify per-call tokens with), and, on loopback only,
 * the policy's version and reload history ({@code /admin/policy}).
 */
final class AdminHandler extends Handler.Abstract.NonBlocking {
  private final Supplier<ObjectNode> readiness;
  private final IdentityServices identity;
  private final Supplier<ObjectNode> policyStatus;

  AdminHandler(Supplier<ObjectNode> readiness, IdentityServices identity, Supplier<ObjectNode> policyStatus) {
    this.readiness = readiness;
    this.identity = identity;
    this.policyStatus = policyStatus;
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
      case IdentityServices.JWKS_PATH ->
          write(response, callback, 200, "application/jwk-set+json", identity.keys().jwks());
      case IdentityServices.AUTHORIZATION_SERVER_PATH ->
          write(response, callback, 200, identity.authorizationServerMetadata());
      case "/admin/policy" -> {
        if (!loopback(request)) {
          write(response, callback, 403, Json.object().put("error", "the admin API answers only on loopback"));
        } else {
          write(response, callback, 200, policyStatus.get());
        }
      }
      default -> {
        var metadata = identity.metadata();
        if (!path.equals(metadata.wellKnownPath()) && !path.equals(ProtectedResourceMetadata.WELL_KNOWN)) {
          return false;
        }
        write(response, callback, 200, "application/json", metadata.json());
      }
    }
    return true;
  }

  private static boolean loopback(Request request) {
    String address = Request.getRemoteAddr(request);
    return address != null && (address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1")
        || address.equals("[::1]"));
  }

  private static void write(Response response, Callback callback, int status, ObjectNode body) {
    write(response, callback, status, "application/json", Json.write(body));
  }

  private static void write(Response response, Callback callback, int status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
