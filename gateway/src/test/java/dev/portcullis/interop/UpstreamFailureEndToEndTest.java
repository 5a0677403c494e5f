package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.interop.SdkClient.Run;
import dev.portcullis.interop.SdkClient.Sdk;
import dev.portcullis.testsupport.GatewayUnderTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An upstream that dies in the middle of a call, or hangs past its timeout: the agent gets a tool result that says
 * the transport failed (not the tool), the gateway keeps serving, and a crashed stdio upstream is restarted.
 */
class UpstreamFailureEndToEndTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { command: %s, timeout: 4s }
      agents:
        ops:
          roles: [ops]
          keys: [ ${key:ops} ]
      roles:
        ops:
          grants:
            - id: debug-and-files
              tools: [acme.debug_crash, acme.debug_sleep, acme.files_write]
      """;

  /** A gateway of its own for each test: the crash test leaves its upstream restarted. */
  private static GatewayUnderTest acmeBehindAGateway() {
    return GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)));
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void crashMidCallIsATransportErrorAndTheUpstreamIsRestarted(Sdk sdk) throws Exception {
    try (GatewayUnderTest gateway = acmeBehindAGateway().start()) {
      Run crash = SdkClient.http(sdk, gateway.mcpUrl(), gateway.key("ops")).call("acme.debug_crash", "{}").run();

      assertThat(crash.result(0).path("isError").asBoolean()).isTrue();
      assertThat(crash.text(0)).contains("failed in transport, not in the tool");
      assertThat(crash.result(0).path("_meta").path("dev.portcullis/transportError").path("upstream").asText())
          .isEqualTo("acme");

      awaitRestart(gateway);
      Run after = SdkClient.http(sdk, gateway.mcpUrl(), gateway.key("ops"))
          .call("acme.files_write", "{\"path\": \"after-crash.txt\", \"content\": \"restarted\"}").run();
      assertThat(after.result(0).path("isError").asBoolean(false)).isFalse();
      assertThat(gateway.sandbox().resolve("after-crash.txt")).hasContent("restarted");
    }
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void callHangingPastTheUpstreamTimeoutIsATransportErrorAndTheGatewayKeepsServing(Sdk sdk) throws Exception {
    try (GatewayUnderTest gateway = acmeBehindAGateway().start()) {
      Run run = SdkClient.http(sdk, gateway.mcpUrl(), gateway.key("ops"))
          .call("acme.debug_sleep", "{\"ms\": 120000}")
          .call("acme.files_write", "{\"path\": \"after-hang.txt\", \"content\": \"still here\"}")
          .run();

      assertThat(run.result(0).path("isError").asBoolean()).isTrue();
      assertThat(run.text(0)).contains("failed in transport").containsIgnoringCase("time");
      assertThat(run.result(1).path("isError").asBoolean(false)).isFalse();
      assertThat(gateway.sandbox().resolve("after-hang.txt")).hasContent("still here");
    }
  }

  /** Waits until {@code /readyz} says every upstream serves again (it is 503 while a stdio upstream restarts). */
  static void awaitRestart(GatewayUnderTest gateway) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    HttpRequest readyz = HttpRequest.newBuilder(gateway.mcpUrl().resolve("/readyz")).GET().build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (true) {
        HttpResponse<String> response = http.send(readyz, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("acme did not come back within 60 s: " + response.body());
        }
        Thread.sleep(100);
      }
    }
  }
}
