package dev.portcullis.config;

import dev.portcullis.audit.AuditStore;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code audit} section.
 *
 * @param explicitPath the SQLite file named in the policy, if any; otherwise {@code <data_dir>/audit.db}
 * @param durability what a commit must survive before the answer is released: {@code process_crash} (the default,
 *     survives {@code kill -9}) or {@code power_loss} (also survives power loss and kernel crashes, an fsync per
 *     group commit)
 */
public record AuditConfig(Optional<Path> explicitPath, AuditStore.Durability durability) {
  /** The default durability: what the audit promises (an answered call's entry survives the process being killed). */
  public static final AuditStore.Durability DEFAULT_DURABILITY = AuditStore.Durability.PROCESS_CRASH;

  public AuditConfig {
    Objects.requireNonNull(explicitPath, "explicitPath");
    Objects.requireNonNull(durability, "durability");
  }

  /** An audit section with the default durability. */
  public AuditConfig(Optional<Path> explicitPath) {
    this(explicitPath, DEFAULT_DURABILITY);
  }

  /** Where the audit database lives for this server configuration. */
  public Path path(ServerConfig server) {
    return explicitPath.orElse(server.dataDir().resolve("audit.db"));
  }

  /** Opens (creating when missing) the SQLite audit log this section names, with its durability. */
  public AuditStore openSqlite(ServerConfig server) {
    return AuditStore.sqlite(path(server), durability);
  }
}
