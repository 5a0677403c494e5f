package dev.portcullis.upstream;

import static dev.portcullis.upstream.Fixtures.callParams;
import static dev.portcullis.upstream.Fixtures.text;
import static dev.portcullis.upstream.StdioUpstreamTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP upstream on the 2025 stateful wire, on the spec paths of {@link LegacyHttpFixture}. */
@Timeout(60)
class LegacyHttpUpstreamTest {
  private LegacyHttpFixture server;
  private Upstream upstream;

  @BeforeEach
  void start() throws Exception {
    server = new LegacyHttpFixture();
    upstream = Upstream.of(Fixtures.http("legacy", server.url(), Wire.AUTO, Duration.ofSeconds(10), Map.of(),
        Optional.empty()));
    upstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
    server.close();
  }

  private static ObjectNode says(String value) {
    return Json.object().put("text", value);
  }

  @Test
  void holdsTheSessionAndTheVersionTheServerChose() throws Exception {
    assertThat(upstream.info().wire()).isEqualTo(Wire.STATEFUL);
    assertThat(upstream.info().protocolVersion()).isEqualTo("2025-06-18");

    assertThat(text(upstream.request("tools/call", callParams("echo", says("hi")), CallContext.defaults())))
        .isEqualTo("hi");
    assertThat(server.sessionsSeen).contains("session-1 2025-06-18");
  }

  @Test
  void reinitializesOnceWhenTheServerForgetsTheSession() throws Exception {
    List<ObjectNode> refreshes = new CopyOnWriteArrayList<>();
    upstream.addListener(refreshes::add);
    server.expireSessions();

    assertThat(text(upstream.request("tools/call", callParams("echo", says("again")), CallContext.defaults())))
        .isEqualTo("again");
    assertThat(server.initializes).hasValue(2);
    assertThat(server.sessionsSeen.getLast()).startsWith("session-2");
    waitUntil(() -> !refreshes.isEmpty());
  }

  @Test
  void aTimeoutTellsTheServerWithCancelled() throws Exception {
    assertThatThrownBy(() -> upstream.request("tools/call", callParams("hang", null),
        CallContext.defaults().withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT));

    waitUntil(() -> server.cancelled.size() == 1);
    assertThat(text(upstream.request("tools/call", callParams("echo", says("alive")), CallContext.defaults())))
        .isEqualTo("alive");
  }

  @Test
  void resumesABrokenResponseStreamFromItsLastEventId() throws Exception {
    assertThat(text(upstream.request("tools/call", callParams("resume", null), CallContext.defaults())))
        .isEqualTo("resumed");
    assertThat(server.resumedFrom).containsExactly("e1");
  }

  @Test
  void deletesTheSessionOnClose() throws Exception {
    upstream.close();

    assertThat(server.deleted).containsExactly("session-1");
  }
}
