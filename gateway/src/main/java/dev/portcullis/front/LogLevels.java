package dev.portcullis.front;

import java.util.List;

/** RFC 5424 severities as MCP names them, least severe first. */
final class LogLevels {
  private static final List<String> ORDER = List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private LogLevels() {}

  /** True when a message at {@code level} passes a client's minimum level (no level set: everything passes). */
  static boolean enabled(String minimum, String level) {
    if (minimum == null) {
      return true;
    }
    int min = ORDER.indexOf(minimum);
    int at = ORDER.indexOf(level);
    return min < 0 || at < 0 || at >= min;
  }
}
