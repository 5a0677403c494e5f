package dev.portcullis.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpError;
import dev.portcullis.pipeline.Pipeline;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small helpers to answer with one JSON body. */
final class Responses {
  private Responses() {}

  static void error(Response response, Callback callback, JsonNode id, McpError error) {
    json(response, callback, error.httpStatus(), HttpFront.response(id, error.toJson(), true));
  }

  static void json(Response response, Callback callback, int status, ObjectNode body) {
    byte[] bytes = Json.bytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /**
   * Adds the RFC 6750 / RFC 9728 challenge to a 401 (and to a 403 for an insufficient scope): where the Protected
   * Resource Metadata is, so a client can find out how to authenticate. The pipeline's refusals carry the exact value
   * (error code, description, scope) in {@code error.data}; other 401s get an {@code invalid_token} one.
   */
  static void challenge(org.eclipse.jetty.server.Request request, Response response, FrontOptions options, McpError error) {
    JsonNode given = error.data() == null ? null : error.data().get(Pipeline.WWW_AUTHENTICATE);
    if (given != null && given.isTextual() && (error.httpStatus() == 401 || error.httpStatus() == 403)) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, given.asText());
    } else if (error.httpStatus() == 401) {
      challenge(request, response, options, error.message());
    }
  }

  private static void challenge(org.eclipse.jetty.server.Request request, Response response, FrontOptions options, String description) {
    org.eclipse.jetty.http.HttpURI uri = request.getHttpURI();
    String base = uri.getScheme() + "://" + uri.getAuthority();
    String metadata = options.resourceMetadataUrl().startsWith("/") ? base + options.resourceMetadataUrl() : options.resourceMetadataUrl();
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer resource_metadata=\"" + metadata
        + "\", error=\"invalid_token\", error_description=\"" + description.replace("\"", "'") + "\"");
  }

  static void empty(Response response, Callback callback, int status) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, null, callback);
  }
}
