package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small HTTP helpers shared by the transports: JSON-RPC envelopes, header reading and decoding, origin checks. */
final class HttpIo {
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private static final String SENTINEL_PREFIX = "=?base64?";
  private static final String SENTINEL_SUFFIX = "?=";

  private HttpIo() {}

  static ObjectNode result(JsonNode id, ObjectNode result) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0");
    message.set("id", id == null ? NullNode.instance : id);
    message.set("result", result);
    return message;
  }

  static ObjectNode error(JsonNode id, McpError error) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0");
    message.set("id", id == null ? NullNode.instance : id);
    message.set("error", error.toJson());
    return message;
  }

  static void json(Response response, Callback callback, int status, JsonNode body, Map<String, String> headers) {
    response.setStatus(status);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  static void jsonError(Response response, Callback callback, JsonNode id, McpError error) {
    json(response, callback, error.httpStatus(), error(id, error), Map.of());
  }

  static void empty(Response response, Callback callback, int status, Map<String, String> headers) {
    response.setStatus(status);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    response.write(true, null, callback);
  }

  /** A header's value with surrounding whitespace removed (RFC 9110 OWS), or null when absent. */
  static String header(Request request, String name) {
    String value = request.getHeaders().get(name);
    return value == null ? null : value.strip();
  }

  /** Whether the Accept header admits the media type (a missing Accept admits everything). */
  static boolean accepts(Request request, String mediaType) {
    String accept = request.getHeaders().get(HttpHeader.ACCEPT);
    if (accept == null) {
      return true;
    }
    String lower = accept.toLowerCase(Locale.ROOT);
    return lower.contains(mediaType) || lower.contains("*/*")
        || lower.contains(mediaType.substring(0, mediaType.indexOf('/')) + "/*");
  }

  /**
   * Why the request looks like DNS rebinding (a Host or Origin that is not loopback), or null when it is fine.
   */
  static String rebindingRejection(Request request) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host != null && !LOCAL_HOSTS.contains(hostName(host))) {
      return "Host '" + host + "' is not a loopback name; this server only answers localhost (DNS rebinding guard)";
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null) {
      String originHost;
      try {
        originHost = URI.create(origin.strip()).getHost();
      } catch (IllegalArgumentException e) {
        originHost = null;
      }
      if (originHost == null || !LOCAL_HOSTS.contains(originHost.toLowerCase(Locale.ROOT))) {
        return "Origin '" + origin + "' is not a loopback origin; this server only answers localhost (DNS rebinding guard)";
      }
    }
    return null;
  }

  private static String hostName(String hostHeader) {
    String host = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /**
   * Decodes an {@code Mcp-Name} / {@code Mcp-Param-*} value: {@code =?base64?...?=} is strict Base64 of UTF-8, anything
   * else is literal. Invalid Base64 or characters outside visible ASCII, space and tab are a header mismatch.
   */
  static String decodeHeaderValue(String header, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        throw McpError.headerMismatch("Header mismatch: " + header + " contains characters outside visible ASCII; "
            + "encode such values as =?base64?...?=");
      }
    }
    if (value.length() < SENTINEL_PREFIX.length() + SENTINEL_SUFFIX.length()
        || !value.startsWith(SENTINEL_PREFIX) || !value.endsWith(SENTINEL_SUFFIX)) {
      return value;
    }
    String encoded = value.substring(SENTINEL_PREFIX.length(), value.length() - SENTINEL_SUFFIX.length());
    if (encoded.length() % 4 != 0 || !encoded.matches("[A-Za-z0-9+/]*={0,2}")) {
      throw McpError.headerMismatch("Header mismatch: " + header + " value '" + value
          + "' is not valid Base64 (padding or alphabet)");
    }
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw McpError.headerMismatch("Header mismatch: " + header + " value '" + value + "' is not valid Base64");
    }
  }
}
