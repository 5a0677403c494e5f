package dev.portcullis.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server.credentials} section: the tokens Portcullis itself signs (per-call tokens for upstreams, sub-agent
 * tokens from token exchange).
 *
 * @param issuer the {@code iss} of those tokens, what tool servers configure in their verifier; empty means the
 *     gateway's public URL (or its listening address)
 * @param lifetime how long a per-call token is accepted (1 s to 5 min, default 30 s)
 */
public record CredentialsConfig(Optional<URI> issuer, Duration lifetime) {
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(30);
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  public static final CredentialsConfig DEFAULTS = new CredentialsConfig(Optional.empty(), DEFAULT_LIFETIME);

  public CredentialsConfig {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("server.credentials.lifetime is " + lifetime.toMillis() + " ms; use 1s to 5m");
    }
  }
}
