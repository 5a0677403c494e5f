package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.config.UpstreamConfig.Value;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds upstream configurations for the test fixtures. */
final class Fixtures {
  private Fixtures() {}

  static String java() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }

  /** The {@link StdioFixtureServer} run with this JVM and the test class path. */
  static UpstreamConfig stdio(String name, String mode, Wire wire, Duration timeout, Map<String, Value> env) {
    List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
        System.getProperty("java.class.path"), StdioFixtureServer.class.getName(), mode));
    return new UpstreamConfig(name, command, Optional.empty(), env, Optional.empty(), Map.of(), Optional.empty(), wire,
        timeout);
  }

  static UpstreamConfig command(String name, List<String> command, Duration timeout) {
    return new UpstreamConfig(name, command, Optional.empty(), Map.of(), Optional.empty(), Map.of(), Optional.empty(),
        Wire.AUTO, timeout);
  }

  static UpstreamConfig http(String name, URI url, Wire wire, Duration timeout, Map<String, Value> headers,
      Optional<dev.portcullis.config.SecretRef> bearer) {
    return new UpstreamConfig(name, List.of(), Optional.empty(), Map.of(), Optional.of(url), headers, bearer, wire,
        timeout);
  }

  static UpstreamOptions fastRestarts() {
    return UpstreamOptions.defaults().withRestart(Duration.ofMillis(50), Duration.ofSeconds(1),
        Duration.ofSeconds(30));
  }

  static ObjectNode callParams(String tool, ObjectNode arguments) {
    ObjectNode params = Json.object().put("name", tool);
    params.set("arguments", arguments == null ? Json.object() : arguments);
    return params;
  }

  static String text(Reply reply) {
    if (!(reply instanceof Reply.Result r)) {
      throw new AssertionError("expected a result, got " + reply);
    }
    return r.result().path("content").path(0).path("text").asText();
  }

  static ObjectNode result(Reply reply) {
    if (!(reply instanceof Reply.Result r)) {
      throw new AssertionError("expected a result, got " + reply);
    }
    return r.result();
  }
}
