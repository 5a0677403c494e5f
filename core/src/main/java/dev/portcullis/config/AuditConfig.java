package dev.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code audit} section.
 *
 * @param explicitPath the SQLite file named in the policy, if any; otherwise {@code <data_dir>/audit.db}
 */
public record AuditConfig(Optional<Path> explicitPath) {
  public AuditConfig {
    Objects.requireNonNull(explicitPath, "explicitPath");
  }

  /** Where the audit database lives for this server configuration. */
  public Path path(ServerConfig server) {
    return explicitPath.orElse(server.dataDir().resolve("audit.db"));
  }
}
