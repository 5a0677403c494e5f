package dev.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server} section: where the gateway listens and what it accepts.
 *
 * @param bind interface address to listen on; loopback by default so nothing is exposed by accident
 * @param port TCP port (0 picks a free one)
 * @param publicUrl the URL clients use, when Portcullis runs behind a proxy (OAuth metadata and links use it)
 * @param allowedOrigins browser origins allowed to call the endpoint (DNS-rebinding protection); loopback origins
 *     matching the bind address are always allowed
 * @param dataDir where state lives (audit database, keys of the gateway); relative paths resolve against the policy
 *     file's directory
 * @param limits structural limits on requests
 * @param credentials the tokens the gateway signs (issuer, per-call token lifetime)
 */
public record ServerConfig(
    String bind, int port, Optional<URI> publicUrl, List<String> allowedOrigins, Path dataDir, Limits limits,
    CredentialsConfig credentials) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(publicUrl, "publicUrl");
    allowedOrigins = List.copyOf(allowedOrigins);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** Without a {@code credentials} section: the defaults. */
  public ServerConfig(String bind, int port, Optional<URI> publicUrl, List<String> allowedOrigins, Path dataDir,
      Limits limits) {
    this(bind, port, publicUrl, allowedOrigins, dataDir, limits, CredentialsConfig.DEFAULTS);
  }

  /** Defaults, with the data directory next to the policy file. */
  public static ServerConfig defaults(Path baseDir) {
    return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, Optional.empty(), List.of(), baseDir.resolve("data"),
        Limits.DEFAULTS);
  }

  /** A copy with another data directory (the command line's {@code --data} wins over the file). */
  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(bind, port, publicUrl, allowedOrigins, dir, limits, credentials);
  }

  /** A copy listening on another port (the command line's {@code --port} wins over the file). */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(bind, newPort, publicUrl, allowedOrigins, dataDir, limits, credentials);
  }
}
