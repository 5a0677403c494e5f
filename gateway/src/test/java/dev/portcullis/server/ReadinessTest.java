package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.json.Json;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.McpTestClient;
import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testsupport.GatewayHarness;
import dev.portcullis.upstream.Upstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /readyz} follows each upstream's real state: up, restarting after its process exited, down. */
@Timeout(120)
class ReadinessTest {
  /**
   * Runs the acme demo server the first time; every later launch (a restart) exits at once with code 5 and a line on
   * stderr for as long as the marker file exists.
   */
  private static final String FAILS_ON_RESTART =
      "if [ -e \"$0\" ]; then echo 'acme: settings file is missing' >&2; exit 5; fi; touch \"$0\"; exec \"$@\"";

  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { command: %s, timeout: 10s }
      agents:
        ops:
          roles: [ops]
          keys: [ ${key:ops} ]
      roles:
        ops:
          grants:
            - id: crash
              tools: [acme.debug_crash]
      """;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCrashedStdioUpstreamIsNotReadyWhileItRestartsNamingItsExitAndStderr() throws Exception {
    Path marker = dir.resolve("launched-once");
    List<String> command = new ArrayList<>(List.of("sh", "-c", FAILS_ON_RESTART, marker.toString()));
    command.addAll(FixtureProcess.command(DemoToolServer.class, List.of("--stdio", "--sandbox", dir.toString())));
    try (GatewayHarness gateway = GatewayHarness.start(POLICY.formatted(Json.write(Json.MAPPER.valueToTree(command))))) {
      URI readyz = gateway.mcpUrl().resolve("/readyz");
      HttpResponse<String> before = get(readyz);
      assertThat(before.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(before.body()).path("upstreams").path("acme").path("state").asText())
          .isEqualTo("up");

      crash(gateway);
      HttpResponse<String> restarting = await(readyz, body -> body.path("upstreams").path("acme").path("exitCode")
          .asInt() == 5);

      assertThat(restarting.statusCode()).isEqualTo(503);
      JsonNode body = Json.MAPPER.readTree(restarting.body());
      assertThat(body.path("ready").asBoolean(true)).isFalse();
      JsonNode acme = body.path("upstreams").path("acme");
      assertThat(acme.path("state").asText()).isEqualTo("restarting");
      assertThat(acme.path("stderr").asText()).contains("acme: settings file is missing");
      assertThat(acme.path("reason").asText()).contains("upstream acme exited with code 5");
      assertThat(body.path("reasons").path(0).asText()).startsWith("upstream acme is restarting: ");

      Files.delete(marker);
      HttpResponse<String> back = await(readyz, b -> b.path("ready").asBoolean());
      assertThat(back.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(back.body()).path("reasons")).isEmpty();
    }
  }

  @Test
  void anUpstreamThatIsNotRunningIsDownAndNamedInTheReasons() throws Exception {
    UpstreamConfig config = new UpstreamConfig("files", List.of("sh", "-c", "exit 0"), Optional.empty(), Map.of(),
        Optional.empty(), Map.of(), Optional.empty(), UpstreamConfig.Wire.AUTO, Duration.ofSeconds(5));
    try (Upstream notStarted = Upstream.of(config)) {
      JsonNode body = new Readiness(List.of(notStarted), () -> false).report();

      assertThat(body.path("ready").asBoolean(true)).isFalse();
      assertThat(body.path("upstreams").path("files").path("state").asText()).isEqualTo("down");
      assertThat(body.path("reasons").path(0).asText())
          .isEqualTo("upstream files is down: upstream files has not been started");
    }
  }

  @Test
  void aGatewayShuttingDownIsNotReadyEvenWithNoUpstreams() {
    JsonNode body = new Readiness(List.of(), () -> true).report();

    assertThat(body.path("ready").asBoolean(true)).isFalse();
    assertThat(body.path("reasons").path(0).asText()).isEqualTo("the gateway is shutting down");
  }

  private static void crash(GatewayHarness gateway) {
    try (McpTestClient client = McpTestClient.stateless(gateway.mcpUrl())
        .header("Authorization", "Bearer " + gateway.key("ops"))) {
      JsonNode result = client.callTool("acme.debug_crash", Json.object()).result();
      assertThat(result.path("isError").asBoolean()).as("a crash mid-call is a transport error").isTrue();
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code uri} until its JSON body satisfies {@code condition}; fails after 60 s with the last body. */
  private HttpResponse<String> await(URI uri, Predicate<JsonNode> condition) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      HttpResponse<String> response = get(uri);
      if (condition.test(Json.MAPPER.readTree(response.body()))) {
        return response;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("/readyz never reached the expected state; last answer: " + response.body());
      }
      Thread.sleep(50);
    }
  }
}
