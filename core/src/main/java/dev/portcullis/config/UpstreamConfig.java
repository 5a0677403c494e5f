package dev.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream MCP server from the policy file's {@code upstreams} section: either a stdio process Portcullis launches
 * and supervises ({@code command}) or a Streamable HTTP endpoint ({@code url}).
 *
 * @param name the upstream's key; tools are exposed as {@code <name>.<tool>}
 * @param command the process to launch (stdio); empty for HTTP upstreams
 * @param workingDirectory where the process starts; empty for the policy file's directory
 * @param env extra environment for the process: literal values and secrets (injected here, never shown to agents)
 * @param url the Streamable HTTP endpoint; empty for stdio upstreams
 * @param headers extra HTTP headers, secrets allowed (for example an API key header)
 * @param bearer a bearer token for the upstream, injected as {@code Authorization}; never the agent's own token
 * @param wire which MCP wire to speak: {@code auto} probes {@code server/discover} and falls back to {@code initialize}
 * @param timeout how long one call may take before it fails with a transport error
 * @param prefix what the catalog puts before this upstream's tool and prompt names: {@code "<name>."} by default;
 *     may be empty when no other upstream could claim the same names
 * @param callToken how each allowed call's per-call token reaches this upstream, or {@link CallToken#NONE} for no
 *     token at all; by default {@link #defaultCallToken the way that fits the transport}
 */
public record UpstreamConfig(
    String name,
    List<String> command,
    Optional<Path> workingDirectory,
    Map<String, Value> env,
    Optional<URI> url,
    Map<String, Value> headers,
    Optional<SecretRef> bearer,
    Wire wire,
    Duration timeout,
    String prefix,
    CallToken callToken) {

  /** An upstream whose tools are prefixed with {@code "<name>."}, with the default call token. */
  public UpstreamConfig(String name, List<String> command, Optional<Path> workingDirectory, Map<String, Value> env,
      Optional<URI> url, Map<String, Value> headers, Optional<SecretRef> bearer, Wire wire, Duration timeout) {
    this(name, command, workingDirectory, env, url, headers, bearer, wire, timeout, name + ".");
  }

  /** An upstream with the default call token for its transport. */
  public UpstreamConfig(String name, List<String> command, Optional<Path> workingDirectory, Map<String, Value> env,
      Optional<URI> url, Map<String, Value> headers, Optional<SecretRef> bearer, Wire wire, Duration timeout,
      String prefix) {
    this(name, command, workingDirectory, env, url, headers, bearer, wire, timeout, prefix,
        defaultCallToken(command, headers, bearer));
  }

  /**
   * How the per-call token of each allowed call travels to the upstream ({@code call_token} in the policy file).
   */
  public enum CallToken {
    /** HTTP {@code Authorization: Bearer <token>}. */
    BEARER,
    /** HTTP {@code X-Portcullis-Call-Token: <token>}, beside the upstream's own {@code Authorization}. */
    HEADER,
    /** stdio: {@code params._meta["dev.portcullis/credential"]}. */
    META,
    /** No per-call token is minted or sent: for an upstream that does not verify them. */
    NONE
  }

  /**
   * The call token by transport: {@link CallToken#META} for stdio; for HTTP {@link CallToken#BEARER}, or
   * {@link CallToken#HEADER} when the upstream's own secret ({@code bearer}, or an {@code Authorization} header) takes
   * {@code Authorization}.
   */
  public static CallToken defaultCallToken(List<String> command, Map<String, Value> headers,
      Optional<SecretRef> bearer) {
    if (!command.isEmpty()) {
      return CallToken.META;
    }
    return bearer.isPresent() || ownsAuthorization(headers) ? CallToken.HEADER : CallToken.BEARER;
  }

  /** True when {@code headers} set {@code Authorization} (any case). */
  public static boolean ownsAuthorization(Map<String, Value> headers) {
    return headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"));
  }

  /** Which MCP wire an upstream speaks. */
  public enum Wire {
    AUTO,
    /** 2026-07-28, stateless. */
    STATELESS,
    /** 2025-11-25 / 2025-06-18, stateful ({@code initialize}, {@code Mcp-Session-Id}). */
    STATEFUL
  }

  /** A configuration value that is either literal or a secret reference. */
  public sealed interface Value {
    String resolve();

    record Literal(String value) implements Value {
      @Override
      public String resolve() {
        return value;
      }
    }

    record Secret(SecretRef ref) implements Value {
      @Override
      public String resolve() {
        return ref.resolve();
      }

      @Override
      public String toString() {
        return "Secret[" + ref + "]";
      }
    }
  }

  public UpstreamConfig {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    env = Map.copyOf(env);
    headers = Map.copyOf(headers);
    Objects.requireNonNull(wire, "wire");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(callToken, "callToken");
    if (command.isEmpty() == url.isEmpty()) {
      throw new IllegalArgumentException("upstream " + name + " needs exactly one of 'command' (stdio) or 'url' (HTTP)");
    }
    if (!command.isEmpty() && (callToken == CallToken.BEARER || callToken == CallToken.HEADER)) {
      throw new IllegalArgumentException("upstream " + name + " is a stdio server, so call_token '"
          + callToken.name().toLowerCase(java.util.Locale.ROOT) + "' (an HTTP header) cannot apply; use meta (the"
          + " default) or none");
    }
    if (command.isEmpty() && callToken == CallToken.META) {
      throw new IllegalArgumentException("upstream " + name + " is an HTTP server; call_token 'meta' is for stdio"
          + " servers; use bearer, header or none");
    }
    if (callToken == CallToken.BEARER && (bearer.isPresent() || ownsAuthorization(headers))) {
      throw new IllegalArgumentException("upstream " + name + " sends its own secret in Authorization ('bearer' or"
          + " an Authorization header), so call_token 'bearer' would replace it; use header (the default here:"
          + " X-Portcullis-Call-Token) or none");
    }
  }

  public boolean isStdio() {
    return !command.isEmpty();
  }
}
