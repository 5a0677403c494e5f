package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.interop.SdkClient.Run;
import dev.portcullis.interop.SdkClient.Sdk;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testsupport.GatewayHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Upstreams over Streamable HTTP: the npm {@code server-everything} (a 2025 server) and the repository's acme demo
 * server, once speaking only 2026-07-28 and once only 2025-11-25 (two gateways, since both serve the same resource
 * URIs), so each SDK client also crosses wires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpUpstreamsEndToEndTest {
  private static final String POLICY = """
      version: 1
      upstreams:
        acme: { url: "%s", wire: %s }
        every: { url: "%s" }
      agents:
        support:
          roles: [support]
          keys: [ ${key:support} ]
        ops:
          roles: [ops]
          keys: [ ${key:ops} ]
      roles:
        support:
          grants:
            - id: echo
              tools: [every.echo]
            - id: send-internal-mail
              tools: [acme.mail_send]
              when: args.to.endsWith("@acme.example")
        ops:
          grants:
            - id: everything-math
              tools: [every.echo, every.get-sum]
            - id: outbox
              tools: [acme.debug_outbox]
            - id: small-refunds
              tools: [acme.billing_refund]
              args: { amount: { maximum: 100 } }
      """;

  private Peers.EverythingHttp everything;
  private FixtureProcess modernAcme;
  private FixtureProcess legacyAcme;
  /** acme on the 2026 wire (and server-everything). */
  private GatewayHarness modern;
  /** acme on the 2025 wire (and server-everything). */
  private GatewayHarness legacy;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("portcullis-http-upstreams");
    everything = new Peers.EverythingHttp();
    modernAcme = FixtureProcess.demoHttp("--wire", "2026", "--sandbox", Files.createDirectories(dir.resolve("m")).toString());
    legacyAcme = FixtureProcess.demoHttp("--wire", "2025", "--sandbox", Files.createDirectories(dir.resolve("l")).toString());
    modern = GatewayHarness.start(POLICY.formatted(modernAcme.url(), "stateless", everything.url()));
    legacy = GatewayHarness.start(POLICY.formatted(legacyAcme.url(), "stateful", everything.url()));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {modern, legacy, modernAcme, legacyAcme, everything}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** Each SDK client against acme on each upstream wire. */
  static Stream<Arguments> clientsAndUpstreamWires() {
    return Stream.of(Sdk.values()).flatMap(sdk -> Stream.of(Arguments.of(sdk, "2026"), Arguments.of(sdk, "2025")));
  }

  private SdkClient as(Sdk sdk, String upstreamWire, String agent) {
    GatewayHarness gateway = "2026".equals(upstreamWire) ? modern : legacy;
    return SdkClient.http(sdk, gateway.mcpUrl(), gateway.key(agent));
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void twoAgentsSeeDifferentToolsFromTheSameUpstreams(Sdk sdk) throws Exception {
    assertThat(as(sdk, "2026", "support").listTools().run().toolNames(0)).containsExactly("acme.mail_send", "every.echo");
    assertThat(as(sdk, "2026", "ops").listTools().run().toolNames(0)).containsExactly("acme.billing_refund",
        "acme.debug_outbox", "every.echo", "every.get-sum");
  }

  @ParameterizedTest
  @EnumSource(Sdk.class)
  void everythingOverHttpAnswersThroughTheGateway(Sdk sdk) throws Exception {
    Run run = as(sdk, "2026", "ops").call("every.echo", "{\"message\": \"over http\"}")
        .call("every.get-sum", "{\"a\": 1, \"b\": 2}").run();

    assertThat(run.text(0)).contains("over http");
    assertThat(run.text(1)).contains("3");
  }

  @ParameterizedTest(name = "{0} client, acme on the {1} wire")
  @MethodSource("clientsAndUpstreamWires")
  void internalMailIsSentAndExternalMailIsNot(Sdk sdk, String upstreamWire) throws Exception {
    String subject = "hello from " + sdk + " via " + upstreamWire;
    Run run = as(sdk, upstreamWire, "support")
        .call("acme.mail_send", mail("colleague@acme.example", subject))
        .call("acme.mail_send", mail("someone@evil.example", subject + " (leak)"))
        .run();
    Run outbox = as(sdk, upstreamWire, "ops").call("acme.debug_outbox", "{}").run();

    assertThat(run.result(0).path("isError").asBoolean(false)).isFalse();
    assertThat(run.result(1).path("isError").asBoolean()).isTrue();
    assertThat(run.text(1)).contains("send-internal-mail");
    assertThat(outbox.result(0).path("structuredContent").toString()).contains(subject).doesNotContain("evil.example");
  }

  @ParameterizedTest(name = "{0} client, acme on the {1} wire")
  @MethodSource("clientsAndUpstreamWires")
  void refundAboveTheGrantedMaximumIsRefused(Sdk sdk, String upstreamWire) throws Exception {
    Run run = as(sdk, upstreamWire, "ops")
        .call("acme.billing_refund", refund(40))
        .call("acme.billing_refund", refund(500))
        .run();

    assertThat(run.result(0).path("structuredContent").path("status").asText()).isEqualTo("issued");
    assertThat(run.result(1).path("isError").asBoolean()).isTrue();
    assertThat(run.text(1)).contains("Denied by Portcullis", "500");
  }

  private static String mail(String to, String subject) {
    return "{\"to\": \"%s\", \"subject\": \"%s\", \"body\": \"hi\"}".formatted(to, subject);
  }

  private static String refund(int amount) {
    return "{\"customer_id\": \"C001\", \"amount\": %d, \"reason\": \"damaged\"}".formatted(amount);
  }
}
