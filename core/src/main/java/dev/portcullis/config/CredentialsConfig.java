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
 * @param signer which implementation computes the ES256 signatures (the tokens are the same either way)
 */
public record CredentialsConfig(Optional<URI> issuer, Duration lifetime, Signer signer) {
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(30);
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  public static final CredentialsConfig DEFAULTS =
      new CredentialsConfig(Optional.empty(), DEFAULT_LIFETIME, Signer.AUTO);

  public CredentialsConfig {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(signer, "signer");
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("server.credentials.lifetime is " + lifetime.toMillis() + " ms; use 1s to 5m");
    }
  }

  /** A credentials section with the default signer. */
  public CredentialsConfig(Optional<URI> issuer, Duration lifetime) {
    this(issuer, lifetime, Signer.AUTO);
  }

  /**
   * {@code server.credentials.signer}: where the ES256 signatures are computed. The algorithm, keys and tokens do not
   * change, so tool servers never notice; only the gateway's CPU cost per token does (docs/benchmarks.md, section 2).
   */
  public enum Signer {
    /** AWS-LC through Amazon Corretto Crypto Provider when its native library loads here, else the JDK. */
    AUTO("auto"),
    /** AWS-LC only: start-up fails when it cannot be loaded on this platform. */
    AWS_LC("aws-lc"),
    /** The JDK's own SunEC provider, pure Java, never native code. */
    JDK("jdk");

    private final String configName;

    Signer(String configName) {
      this.configName = configName;
    }

    /** The value as written in the configuration file. */
    public String configName() {
      return configName;
    }

    /** The signer a configuration value names, if any. */
    public static Optional<Signer> parse(String text) {
      for (Signer signer : values()) {
        if (signer.configName.equals(text)) {
          return Optional.of(signer);
        }
      }
      return Optional.empty();
    }
  }
}
