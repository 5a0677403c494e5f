package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;

/**
 * How Portcullis presents itself to upstreams and supervises them; the same for every upstream of a gateway.
 *
 * @param clientInfo sent as {@code clientInfo} in {@code initialize} and as {@code io.modelcontextprotocol/clientInfo}
 *     when a 2026 request carries none
 * @param clientCapabilities declared in {@code initialize} (2025 wire): what Portcullis relays to its agents
 * @param httpClient a started Jetty client to share (see {@link #newHttpClient()}); empty uses one shared client
 *     created on first use
 * @param probeTimeout how long {@code server/discover} may take before a stdio server counts as legacy
 * @param inheritedEnvironment names of Portcullis' own environment variables a stdio process inherits; every other
 *     variable (secrets of other upstreams included) is withheld unless the upstream's {@code env} sets it
 * @param restartInitial first delay before restarting a crashed stdio process; doubles on each crash
 * @param restartMax the longest delay between restarts
 * @param healthyAfter a process that ran this long resets the delay to {@code restartInitial}
 * @param maxMessageBytes the largest message accepted from an upstream; larger lines are skipped as garbage
 */
public record UpstreamOptions(
    ObjectNode clientInfo,
    ObjectNode clientCapabilities,
    Optional<HttpClient> httpClient,
    Duration probeTimeout,
    Set<String> inheritedEnvironment,
    Duration restartInitial,
    Duration restartMax,
    Duration healthyAfter,
    int maxMessageBytes) {

  /** Variables a process needs to start at all (the MCP SDKs inherit the same kind of list). */
  public static final Set<String> SAFE_ENVIRONMENT = Set.of(
      "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "JAVA_HOME",
      "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR", "APPDATA", "LOCALAPPDATA", "PROGRAMFILES", "USERPROFILE", "TEMP",
      "TMP");

  public UpstreamOptions {
    Objects.requireNonNull(clientInfo, "clientInfo");
    Objects.requireNonNull(clientCapabilities, "clientCapabilities");
    Objects.requireNonNull(httpClient, "httpClient");
    inheritedEnvironment = Set.copyOf(inheritedEnvironment);
    for (Duration d : new Duration[] {probeTimeout, restartInitial, restartMax, healthyAfter}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("upstream option durations must be positive, was " + d);
      }
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
    }
  }

  /**
   * Portcullis' identity, elicitation (form and URL) and sampling declared, roots not declared, 10 s probe, restart
   * after 100 ms doubling to 30 s, reset after 30 s of health, messages up to 64 MiB.
   */
  public static UpstreamOptions defaults() {
    ObjectNode info = Json.object().put("name", "portcullis").put("version", "0.1.0");
    ObjectNode caps = Json.object();
    ObjectNode elicitation = caps.putObject("elicitation");
    elicitation.putObject("form");
    elicitation.putObject("url");
    caps.putObject("sampling");
    return new UpstreamOptions(info, caps, Optional.empty(), Duration.ofSeconds(10), SAFE_ENVIRONMENT,
        Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(30), 64 << 20);
  }

  /**
   * A started Jetty client set up for upstream traffic (no redirects, 401/407 reported rather than handled, large
   * pools, daemon threads), for a gateway that wants to own its lifecycle and pass it with {@link #withHttpClient}.
   */
  public static HttpClient newHttpClient() {
    return SharedHttpClient.create();
  }

  public UpstreamOptions withClientCapabilities(ObjectNode value) {
    return new UpstreamOptions(clientInfo, value, httpClient, probeTimeout, inheritedEnvironment, restartInitial,
        restartMax, healthyAfter, maxMessageBytes);
  }

  public UpstreamOptions withHttpClient(HttpClient value) {
    return new UpstreamOptions(clientInfo, clientCapabilities, Optional.of(value), probeTimeout, inheritedEnvironment,
        restartInitial, restartMax, healthyAfter, maxMessageBytes);
  }

  public UpstreamOptions withProbeTimeout(Duration value) {
    return new UpstreamOptions(clientInfo, clientCapabilities, httpClient, value, inheritedEnvironment, restartInitial,
        restartMax, healthyAfter, maxMessageBytes);
  }

  public UpstreamOptions withRestart(Duration initial, Duration max, Duration healthy) {
    return new UpstreamOptions(clientInfo, clientCapabilities, httpClient, probeTimeout, inheritedEnvironment, initial,
        max, healthy, maxMessageBytes);
  }

  public UpstreamOptions withMaxMessageBytes(int value) {
    return new UpstreamOptions(clientInfo, clientCapabilities, httpClient, probeTimeout, inheritedEnvironment,
        restartInitial, restartMax, healthyAfter, value);
  }
}
