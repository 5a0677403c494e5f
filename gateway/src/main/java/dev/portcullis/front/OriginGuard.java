package dev.portcullis.front;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * DNS-rebinding protection: the {@code Host} must name this gateway and an {@code Origin}, when present, must be an
 * allowed one. Loopback names are always allowed; other hosts and origins must be configured.
 */
final class OriginGuard {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;

  OriginGuard(Set<String> allowedHosts, Set<String> allowedOrigins) {
    this.allowedHosts = lower(allowedHosts);
    this.allowedOrigins = lower(allowedOrigins);
  }

  /** Why the request must be refused, or empty when it may proceed. */
  Optional<String> check(String host, String origin) {
    if (host != null && !hostAllowed(stripPort(host))) {
      return Optional.of("Host '" + host + "' is not this gateway; add it to server.allowed_hosts if it is");
    }
    if (origin != null && !origin.equals("null") && !originAllowed(origin)) {
      return Optional.of("Origin '" + origin + "' is not allowed; add it to server.allowed_origins if it is");
    }
    if ("null".equals(origin)) {
      return Optional.of("Origin 'null' (a sandboxed or file page) is not allowed");
    }
    return Optional.empty();
  }

  private boolean hostAllowed(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return LOOPBACK.contains(h) || allowedHosts.contains(h);
  }

  private boolean originAllowed(String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(o)) {
      return true;
    }
    try {
      URI uri = URI.create(o);
      String host = uri.getHost();
      return host != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && (LOOPBACK.contains(host) || LOOPBACK.contains("[" + host + "]"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static Set<String> lower(Set<String> values) {
    return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
