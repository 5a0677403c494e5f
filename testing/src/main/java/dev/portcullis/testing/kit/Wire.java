package dev.portcullis.testing.kit;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The two MCP wires a fixture can speak: the stateless 2026-07-28 revision and the stateful 2025 revisions. */
public enum Wire {
  /** 2026-07-28: no session, per-request {@code _meta}, {@code server/discover}, MRTR, {@code subscriptions/listen}. */
  STATELESS(List.of("2026-07-28")),
  /** 2025-11-25 / 2025-06-18 / 2025-03-26: {@code initialize}, {@code Mcp-Session-Id}, server-to-client requests. */
  STATEFUL(List.of("2025-11-25", "2025-06-18", "2025-03-26"));

  private final List<String> versions;

  Wire(List<String> versions) {
    this.versions = versions;
  }

  /** Protocol versions of this wire, newest first. */
  public List<String> versions() {
    return versions;
  }

  public String latest() {
    return versions.getFirst();
  }

  /** The wire a protocol version belongs to, if any. */
  public static Optional<Wire> ofVersion(String version) {
    for (Wire wire : values()) {
      if (wire.versions.contains(version)) {
        return Optional.of(wire);
      }
    }
    return Optional.empty();
  }

  /** Parses the {@code --wire} option: {@code 2026}, {@code 2025} or {@code both}. */
  public static Set<Wire> parse(String option) {
    return switch (option.toLowerCase(Locale.ROOT)) {
      case "2026", "2026-07-28", "stateless" -> EnumSet.of(STATELESS);
      case "2025", "2025-11-25", "2025-06-18", "stateful" -> EnumSet.of(STATEFUL);
      case "both" -> EnumSet.allOf(Wire.class);
      default -> throw new IllegalArgumentException(
          "--wire '" + option + "' is not a wire; use 2026 (stateless), 2025 (stateful) or both");
    };
  }
}
