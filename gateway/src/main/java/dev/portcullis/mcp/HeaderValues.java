package dev.portcullis.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Encoding of {@code Mcp-Name} and {@code Mcp-Param-*} header values (plain ASCII, or the Base64 sentinel form). */
public final class HeaderValues {
  private static final String PREFIX = "=?base64?";
  private static final String SUFFIX = "?=";

  private HeaderValues() {}

  /** Decodes a received header value; empty when it is malformed (bad Base64, invalid characters). */
  public static Optional<String> decode(String header) {
    String value = header.strip();
    if (value.startsWith(PREFIX) && value.endsWith(SUFFIX) && value.length() >= PREFIX.length() + SUFFIX.length()) {
      String encoded = value.substring(PREFIX.length(), value.length() - SUFFIX.length());
      if (encoded.length() % 4 != 0) {
        return Optional.empty(); // RFC 4648 padding is required; Java's decoder would accept it missing
      }
      try {
        byte[] bytes = Base64.getDecoder().decode(encoded);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 || c > 0x7e) && c != '\t') {
        return Optional.empty();
      }
    }
    return Optional.of(value);
  }

  /** Encodes a value for a header, using the Base64 sentinel when plain ASCII cannot carry it. */
  public static String encode(String value) {
    boolean plain = value.equals(value.strip()) && !(value.startsWith(PREFIX) && value.endsWith(SUFFIX));
    for (int i = 0; plain && i < value.length(); i++) {
      char c = value.charAt(i);
      plain = c >= 0x20 && c <= 0x7e;
    }
    return plain ? value : PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
  }
}
