package dev.portcullis.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's JWKS fetched over HTTP with the JDK client and cached. It is fetched again when older than the time to
 * live, or when a token names a kid it lacks (the gateway rotated its key), but never more often than the minimum
 * interval, so forged kids cannot turn the verifier into a request amplifier. A failed refetch keeps the cached keys.
 */
final class RemoteKeySource implements KeySource {
  static final int MAX_JWKS_BYTES = 256 * 1024;

  private final URI jwksUrl;
  private final HttpClient http;
  private final Duration timeToLive;
  private final Duration minRefetchInterval;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock(); // not synchronized: fetching blocks, virtual threads must not pin

  private volatile JWKSet keys;
  private volatile Instant fetchedAt = Instant.MIN;
  private volatile Instant lastAttempt = Instant.MIN;

  RemoteKeySource(URI jwksUrl, HttpClient http, Duration timeToLive, Duration minRefetchInterval, Clock clock) {
    this.jwksUrl = jwksUrl;
    this.http = http;
    this.timeToLive = timeToLive;
    this.minRefetchInterval = minRefetchInterval;
    this.clock = clock;
  }

  @Override
  public Optional<JWK> find(String kid) throws KeysUnavailable {
    JWKSet current = keys;
    Instant now = clock.instant();
    boolean stale = current == null || fetchedAt.plus(timeToLive).isBefore(now);
    if (!stale && current.getKeyByKeyId(kid) != null) {
      return Optional.of(current.getKeyByKeyId(kid));
    }
    refreshIfAllowed(now);
    current = keys;
    return current == null ? Optional.empty() : Optional.ofNullable(current.getKeyByKeyId(kid));
  }

  private void refreshIfAllowed(Instant now) throws KeysUnavailable {
    lock.lock();
    try {
      if (lastAttempt.plus(minRefetchInterval).isAfter(now)) {
        if (keys == null) {
          throw new KeysUnavailable("the JWKS at " + jwksUrl + " could not be fetched; retrying after "
              + minRefetchInterval.toSeconds() + " s", null);
        }
        return;
      }
      lastAttempt = now;
      try {
        keys = fetch();
        fetchedAt = now;
      } catch (IOException | ParseException e) {
        if (keys == null) {
          throw new KeysUnavailable("the JWKS at " + jwksUrl + " could not be fetched: " + e.getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KeysUnavailable("interrupted while fetching the JWKS at " + jwksUrl, e);
      }
    } finally {
      lock.unlock();
    }
  }

  private JWKSet fetch() throws IOException, InterruptedException, ParseException {
    HttpRequest request = HttpRequest.newBuilder(jwksUrl)
        .timeout(Duration.ofSeconds(5))
        .header("Accept", "application/jwk-set+json, application/json")
        .GET()
        .build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_JWKS_BYTES + 1);
      if (bytes.length > MAX_JWKS_BYTES) {
        throw new IOException("the key set is larger than " + MAX_JWKS_BYTES + " bytes");
      }
      return KeySource.signingKeysOnly(JWKSet.parse(new String(bytes, StandardCharsets.UTF_8)));
    }
  }
}
