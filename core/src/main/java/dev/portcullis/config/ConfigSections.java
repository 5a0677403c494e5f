package dev.portcullis.config;

import dev.portcullis.audit.AuditStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the gateway sections of the configuration ({@code server}, {@code audit}, {@code upstreams}) to their records.
 * The policy sections are compiled by {@code dev.portcullis.policy}. Relative paths resolve against the directory of
 * the file the value was written in.
 */
public final class ConfigSections {
  /** Upstream names become tool name prefixes ({@code <upstream>.<tool>}), so they cannot contain dots. */
  public static final Pattern UPSTREAM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private static final Set<String> SERVER_KEYS =
      Set.of("bind", "port", "public_url", "allowed_origins", "data_dir", "limits", "credentials");
  private static final Set<String> LIMIT_KEYS =
      Set.of("max_body_bytes", "max_depth", "max_string_length", "max_array_items", "upstream_timeout");
  private static final Set<String> UPSTREAM_KEYS =
      Set.of("description", "command", "working_dir", "env", "url", "headers", "bearer", "wire", "timeout", "call_token",
          "prefix");

  private ConfigSections() {}

  public static ServerConfig server(Optional<Node> section, Path baseDir, Problems problems) {
    ServerConfig defaults = ServerConfig.defaults(baseDir);
    if (section.isEmpty()) {
      return defaults;
    }
    Fields f = Fields.of(section.get(), "server", problems, SERVER_KEYS);
    Path base = dirOf(f.mark(), baseDir);
    Optional<URI> publicUrl = f.string("public_url").flatMap(u -> uri(u, f.get("public_url").get(), problems));
    Limits limits = f.get("limits").map(n -> limits(n, problems)).orElse(Limits.DEFAULTS);
    CredentialsConfig credentials = f.get("credentials").map(n -> credentials(n, problems))
        .orElse(CredentialsConfig.DEFAULTS);
    return new ServerConfig(
        f.string("bind", defaults.bind()),
        f.integer("port", 0, 65535).map(Long::intValue).orElse(defaults.port()),
        publicUrl,
        f.strings("allowed_origins"),
        f.string("data_dir").map(d -> base.resolve(d).normalize()).orElse(defaults.dataDir()),
        limits,
        credentials);
  }

  private static CredentialsConfig credentials(Node node, Problems problems) {
    Fields f = Fields.of(node, "server.credentials", problems, Set.of("issuer", "lifetime", "signer"));
    Optional<URI> issuer = f.string("issuer").flatMap(u -> uri(u, f.get("issuer").get(), problems));
    Duration lifetime = f.duration("lifetime").orElse(CredentialsConfig.DEFAULT_LIFETIME);
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(CredentialsConfig.MAX_LIFETIME) > 0) {
      problems.error(f.get("lifetime").get().mark(), "server.credentials.lifetime is " + lifetime.toMillis()
          + " ms, outside 1s to 5m", "per-call tokens should live seconds: the default is 30s, the verifier refuses"
          + " tokens living longer than 5m");
      lifetime = CredentialsConfig.DEFAULT_LIFETIME;
    }
    CredentialsConfig.Signer signer = f.string("signer").map(text -> CredentialsConfig.Signer.parse(text)
        .orElseGet(() -> {
          problems.error(f.get("signer").get().mark(), "server.credentials.signer '" + text + "' is not known",
              "use auto (AWS-LC when it loads here, else the JDK), aws-lc (fail when it cannot load) or jdk");
          return CredentialsConfig.Signer.AUTO;
        }))
        .orElse(CredentialsConfig.Signer.AUTO);
    return new CredentialsConfig(issuer, lifetime, signer);
  }

  private static Limits limits(Node node, Problems problems) {
    Fields f = Fields.of(node, "server.limits", problems, LIMIT_KEYS);
    Limits d = Limits.DEFAULTS;
    return new Limits(
        f.size("max_body_bytes").orElse(d.maxBodyBytes()),
        f.integer("max_depth", 1, 1000).map(Long::intValue).orElse(d.maxDepth()),
        f.size("max_string_length").map(l -> (int) Math.min(l, Integer.MAX_VALUE)).orElse(d.maxStringLength()),
        f.integer("max_array_items", 1, 10_000_000).map(Long::intValue).orElse(d.maxArrayItems()),
        f.duration("upstream_timeout").orElse(d.upstreamTimeout()));
  }

  public static AuditConfig audit(Optional<Node> section, Path baseDir, Problems problems) {
    if (section.isEmpty()) {
      return new AuditConfig(Optional.empty());
    }
    Fields f = Fields.of(section.get(), "audit", problems, Set.of("path", "durability"));
    Path base = dirOf(f.mark(), baseDir);
    AuditStore.Durability durability = f.string("durability").map(d -> durability(d, f.get("durability").get(), problems))
        .orElse(AuditConfig.DEFAULT_DURABILITY);
    return new AuditConfig(f.string("path").map(p -> base.resolve(p).normalize()), durability);
  }

  private static AuditStore.Durability durability(String text, Node at, Problems problems) {
    return switch (text) {
      case "process_crash" -> AuditStore.Durability.PROCESS_CRASH;
      case "power_loss" -> AuditStore.Durability.POWER_LOSS;
      default -> {
        problems.error(at.mark(), "audit durability '" + text + "' is not known",
            "use process_crash (the default: an answered call's entry survives kill -9) or power_loss (also survives"
                + " power loss and kernel crashes, at the cost of an fsync per commit)");
        yield AuditConfig.DEFAULT_DURABILITY;
      }
    };
  }

  public static Map<String, UpstreamConfig> upstreams(Optional<Node> section, Path baseDir, Limits limits,
      Problems problems) {
    Map<String, UpstreamConfig> out = new LinkedHashMap<>();
    if (section.isEmpty()) {
      return out;
    }
    for (Node.Entry e : Fields.mapping(section.get(), "upstreams", problems).entries()) {
      if (!UPSTREAM_NAME.matcher(e.key()).matches()) {
        problems.error(e.keyMark(), "upstream name '" + e.key() + "' is not allowed",
            "use letters, digits, '_' and '-' only (no dots: tools are named <upstream>.<tool>)");
        continue;
      }
      upstream(e.key(), e.value(), baseDir, limits, problems).ifPresent(u -> out.put(e.key(), u));
    }
    return out;
  }

  private static Optional<UpstreamConfig> upstream(String name, Node node, Path baseDir, Limits limits,
      Problems problems) {
    String ctx = "upstream '" + name + "'";
    Fields f = Fields.of(node, ctx, problems, UPSTREAM_KEYS);
    Path base = dirOf(f.mark(), baseDir);
    List<String> command = f.strings("command").stream().toList();
    if (!command.isEmpty()) {
      String exe = command.get(0);
      if (exe.contains("/") && !Path.of(exe).isAbsolute()) {
        List<String> resolved = new java.util.ArrayList<>(command);
        resolved.set(0, base.resolve(exe).normalize().toString());
        command = resolved;
      }
    }
    Optional<URI> url = f.string("url").flatMap(u -> uri(u, f.get("url").get(), problems));
    if (command.isEmpty() == url.isEmpty()) {
      problems.error(f.mark(), ctx + " needs exactly one of 'command' (a stdio server Portcullis launches) or 'url' "
          + "(a Streamable HTTP endpoint)", "for example: command: [node, server.js]  or  url: http://127.0.0.1:9001/mcp");
      return Optional.empty();
    }
    if (!command.isEmpty() && (f.has("headers") || f.has("bearer"))) {
      problems.error(f.keyMark(f.has("headers") ? "headers" : "bearer"), ctx + " is a stdio server; 'headers' and "
          + "'bearer' only apply to HTTP upstreams", "pass credentials to a stdio server through 'env'");
    }
    if (url.isPresent() && f.has("working_dir")) {
      problems.error(f.keyMark("working_dir"), ctx + " is an HTTP upstream; 'working_dir' only applies to stdio", "");
    }
    UpstreamConfig.Wire wire = f.string("wire").map(w -> wire(w, f.get("wire").get(), problems))
        .orElse(UpstreamConfig.Wire.AUTO);
    Duration timeout = f.duration("timeout").orElse(limits.upstreamTimeout());
    Optional<SecretRef> bearer = f.get("bearer").flatMap(n -> secret(n, ctx + " bearer", base, problems));
    url.filter(u -> "http".equals(u.getScheme()) && !isLoopback(u.getHost()) && bearer.isPresent())
        .ifPresent(u -> problems.warning(f.keyMark("url"), ctx + " sends a bearer token over plain http to " + u.getHost(),
            "use https for non-loopback upstreams"));
    Map<String, UpstreamConfig.Value> headers = values(f, "headers", ctx, base, problems);
    UpstreamConfig.CallToken callToken = f.string("call_token")
        .map(t -> callToken(t, f.get("call_token").get(), problems))
        .orElse(UpstreamConfig.defaultCallToken(command, headers, bearer));
    try {
      return Optional.of(new UpstreamConfig(name, command,
          f.string("working_dir").map(d -> base.resolve(d).normalize()),
          values(f, "env", ctx, base, problems), url, headers, bearer, wire, timeout,
          f.string("prefix").orElse(name + "."), callToken));
    } catch (IllegalArgumentException e) {
      problems.error(f.mark(), e.getMessage(), "");
      return Optional.empty();
    }
  }

  private static boolean isLoopback(String host) {
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
        || host.equals("::1"));
  }

  private static UpstreamConfig.CallToken callToken(String text, Node at, Problems problems) {
    return switch (text) {
      case "bearer" -> UpstreamConfig.CallToken.BEARER;
      case "header" -> UpstreamConfig.CallToken.HEADER;
      case "meta" -> UpstreamConfig.CallToken.META;
      case "none" -> UpstreamConfig.CallToken.NONE;
      default -> {
        problems.error(at.mark(), "call_token '" + text + "' is not known",
            "use bearer (HTTP Authorization), header (X-Portcullis-Call-Token), meta (stdio _meta) or none (no"
                + " per-call token: only for an upstream that does not verify them)");
        yield UpstreamConfig.CallToken.NONE;
      }
    };
  }

  private static UpstreamConfig.Wire wire(String text, Node at, Problems problems) {
    return switch (text) {
      case "auto" -> UpstreamConfig.Wire.AUTO;
      case "stateless" -> UpstreamConfig.Wire.STATELESS;
      case "stateful" -> UpstreamConfig.Wire.STATEFUL;
      default -> {
        problems.error(at.mark(), "wire '" + text + "' is not known",
            "use auto (probe, then fall back), stateless (2026-07-28) or stateful (2025-11-25 / 2025-06-18)");
        yield UpstreamConfig.Wire.AUTO;
      }
    };
  }

  private static Map<String, UpstreamConfig.Value> values(Fields f, String key, String ctx, Path base,
      Problems problems) {
    Map<String, UpstreamConfig.Value> out = new LinkedHashMap<>();
    f.entries(key).forEach((name, e) -> {
      Node n = e.value();
      if (n instanceof Node.ScalarNode s && s.value() != null) {
        out.put(name, new UpstreamConfig.Value.Literal(s.text()));
      } else if (n instanceof Node.MapNode) {
        secret(n, ctx + " " + key + " '" + name + "'", base, problems)
            .ifPresent(ref -> out.put(name, new UpstreamConfig.Value.Secret(ref)));
      } else {
        problems.error(n.mark(), ctx + " " + key + " '" + name + "' must be text or {env: NAME} / {file: PATH}, found "
            + n.describe(), "");
      }
    });
    return out;
  }

  /** {@code {env: NAME}} or {@code {file: PATH}}; never a literal secret. */
  public static Optional<SecretRef> secret(Node node, String what, Path baseDir, Problems problems) {
    if (node instanceof Node.ScalarNode s && s.value() instanceof String) {
      problems.error(node.mark(), what + " is written as a literal; secrets are never stored in the policy file",
          "write {env: VARIABLE} or {file: path/to/secret}");
      return Optional.empty();
    }
    Fields f = Fields.of(node, what, problems, Set.of("env", "file"));
    Path base = dirOf(f.mark(), baseDir);
    Optional<String> env = f.string("env");
    Optional<String> file = f.string("file");
    if (env.isPresent() == file.isPresent()) {
      problems.error(f.mark(), what + " needs exactly one of 'env' or 'file'", "write {env: VARIABLE} or {file: PATH}");
      return Optional.empty();
    }
    return env.<SecretRef>map(SecretRef.Env::new)
        .or(() -> file.map(p -> new SecretRef.File(base.resolve(p).normalize())));
  }

  private static Optional<URI> uri(String text, Node at, Problems problems) {
    try {
      URI uri = URI.create(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        problems.error(at.mark(), "'" + text + "' is not an http(s) URL", "write e.g. http://127.0.0.1:9001/mcp");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      problems.error(at.mark(), "'" + text + "' is not a valid URL: " + e.getMessage(), "");
      return Optional.empty();
    }
  }

  /** The directory of the file a value was written in (for a merged directory, each file resolves its own paths). */
  static Path dirOf(Mark mark, Path fallback) {
    Path parent = mark.file().toAbsolutePath().getParent();
    return mark.line() == 0 || parent == null ? fallback : parent;
  }
}
