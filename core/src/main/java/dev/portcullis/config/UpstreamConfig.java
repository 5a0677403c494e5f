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
    String prefix) {

  /** An upstream whose tools are prefixed with {@code "<name>."}. */
  public UpstreamConfig(String name, List<String> command, Optional<Path> workingDirectory, Map<String, Value> env,
      Optional<URI> url, Map<String, Value> headers, Optional<SecretRef> bearer, Wire wire, Duration timeout) {
    this(name, command, workingDirectory, env, url, headers, bearer, wire, timeout, name + ".");
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
    if (command.isEmpty() == url.isEmpty()) {
      throw new IllegalArgumentException("upstream " + name + " needs exactly one of 'command' (stdio) or 'url' (HTTP)");
    }
  }

  public boolean isStdio() {
    return !command.isEmpty();
  }
}
