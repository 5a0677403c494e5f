package dev.portcullis.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Encodes values for the 2026 {@code Mcp-Name} / {@code Mcp-Param-*} headers: plain when safe, else Base64 sentinel. */
final class HeaderValues {
  private static final String PREFIX = "=?base64?";
  private static final String SUFFIX = "?=";

  private HeaderValues() {}

  static String encode(String value) {
    return safe(value) ? value : PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
        + SUFFIX;
  }

  /** Visible ASCII, space and tab only, no leading or trailing whitespace, and not itself looking like a sentinel. */
  static boolean safe(String value) {
    if (value.isEmpty()) {
      return true;
    }
    if (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1))) {
      return false;
    }
    if (value.startsWith(PREFIX) && value.endsWith(SUFFIX)) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c == '\t' || (c >= 0x20 && c <= 0x7E))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
