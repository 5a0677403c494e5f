package dev.portcullis.front;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/** Reads the bearer credential from the {@code Authorization} header (the only place MCP allows it). */
final class Bearer {
  private Bearer() {}

  /** The token, or null when the header is absent or not a bearer credential. */
  static String from(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return value.substring(7).strip();
    }
    return "";
  }
}
