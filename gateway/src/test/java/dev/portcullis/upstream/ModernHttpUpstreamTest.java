package dev.portcullis.upstream;

import static dev.portcullis.upstream.Fixtures.callParams;
import static dev.portcullis.upstream.Fixtures.text;
import static dev.portcullis.upstream.StdioUpstreamTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.SecretRef;
import dev.portcullis.config.UpstreamConfig.Value;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP upstream on the 2026-07-28 stateless wire, against a real Jetty server ({@link ModernHttpFixture}). */
@Timeout(60)
class ModernHttpUpstreamTest {
  private final List<Upstream> opened = new ArrayList<>();
  private ModernHttpFixture server;

  @BeforeEach
  void startServer() throws Exception {
    server = new ModernHttpFixture();
  }

  @AfterEach
  void stopAll() throws Exception {
    opened.forEach(Upstream::close);
    server.close();
  }

  private Upstream start(Map<String, Value> headers, Optional<SecretRef> bearer) throws UpstreamException {
    Upstream upstream = Upstream.of(Fixtures.http("modern", server.url(), Wire.AUTO, Duration.ofSeconds(10), headers,
        bearer));
    opened.add(upstream);
    upstream.start();
    return upstream;
  }

  private Upstream start() throws UpstreamException {
    return start(Map.of(), Optional.empty());
  }

  private static ObjectNode args(String key, Object value) {
    return Json.MAPPER.valueToTree(Map.of(key, value));
  }

  private Map<String, String> lastHeaders() {
    return ModernHttpFixture.single(server.seenHeaders.stream().filter(h -> "tools/call".equals(h.get("Mcp-Method")))
        .reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void discoversTheStatelessWireAndMirrorsTheBodyInHeaders() throws Exception {
    Upstream upstream = start();

    Reply reply = upstream.request("tools/call", callParams("echo", args("text", "hi")), CallContext.defaults());

    assertThat(upstream.info().wire()).isEqualTo(Wire.STATELESS);
    assertThat(upstream.info().serverInfo().path("name").asText()).isEqualTo("modern-fixture");
    assertThat(text(reply)).isEqualTo("hi");
    assertThat(lastHeaders()).containsEntry("MCP-Protocol-Version", "2026-07-28")
        .containsEntry("Mcp-Method", "tools/call").containsEntry("Mcp-Name", "echo")
        .doesNotContainKey("Mcp-Session-Id");
  }

  @Test
  void encodesANonAsciiToolNameWithTheBase64Sentinel() throws Exception {
    Upstream upstream = start();

    Reply reply = upstream.request("tools/call", callParams("grüße", null), CallContext.defaults());

    assertThat(reply).isInstanceOfSatisfying(Reply.Error.class, e -> {
      assertThat(e.code()).as("the server accepted the header and looked the tool up").isEqualTo(-32602);
      assertThat(e.message()).isEqualTo("Unknown tool: grüße");
    });
    assertThat(lastHeaders().get("Mcp-Name")).startsWith("=?base64?").endsWith("?=");
  }

  @Test
  void injectsTheConfiguredSecretsIntoEveryRequest(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("token"), "upstream-secret\n");
    server.requireBearer("upstream-secret");
    Upstream upstream = start(Map.of("X-Api-Key", new Value.Literal("k1")),
        Optional.of(new SecretRef.File(secret)));

    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "ok")), CallContext.defaults())))
        .isEqualTo("ok");
    for (HttpFields fields : server.seenHeaders) {
      assertThat(fields.getValuesList("Authorization")).containsExactly("Bearer upstream-secret");
      assertThat(fields.get("X-Api-Key")).isEqualTo("k1");
    }
  }

  @Test
  void aCookieAnUpstreamSetsIsNeverSentBackOnLaterCalls() throws Exception {
    server.setCookieOnEveryAnswer("affinity=agent-a; Path=/");
    Upstream upstream = start();

    for (int i = 0; i < 3; i++) {
      assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "c" + i)),
          CallContext.defaults()))).isEqualTo("c" + i);
    }

    assertThat(server.seenHeaders).hasSizeGreaterThan(3)
        .allSatisfy(fields -> assertThat(fields.get(HttpHeader.COOKIE)).as("the client keeps no cookie jar: one"
            + " client serves every agent").isNull());
  }

  @Test
  void aMissingBearerFailsStartWithTheStatusAndTheFix() {
    server.requireBearer("upstream-secret");
    Upstream upstream = Upstream.of(Fixtures.http("locked", server.url(), Wire.AUTO, Duration.ofSeconds(10),
        Map.of(), Optional.empty()));
    opened.add(upstream);

    assertThatThrownBy(upstream::start).isInstanceOfSatisfying(UpstreamException.class, e -> {
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.HTTP);
      assertThat(e.httpStatus()).hasValue(401);
    }).hasMessageContaining("upstream locked answered").hasMessageContaining("HTTP 401")
        .hasMessageContaining("check the 'bearer' and 'headers' configured for upstream locked");
  }

  @Test
  void anUnsetSecretFailsStartNamingTheVariable() {
    Upstream upstream = Upstream.of(Fixtures.http("envless", server.url(), Wire.AUTO, Duration.ofSeconds(10),
        Map.of(), Optional.of(new SecretRef.Env("PORTCULLIS_TEST_UNSET_TOKEN"))));
    opened.add(upstream);

    assertThatThrownBy(upstream::start).hasMessageContaining("upstream envless bearer")
        .hasMessageContaining("PORTCULLIS_TEST_UNSET_TOKEN is not set");
  }

  @Test
  void followsCursorsThroughEveryPage() throws Exception {
    Upstream upstream = start();

    assertThat(upstream.listAll("tools/list", "tools")).extracting(t -> t.path("name").asText())
        .as("d carries an x-mcp-header on a number and is left out").containsExactly("a", "b", "c");
  }

  @Test
  void mirrorsAnnotatedArgumentsIntoParamHeadersOnceTheToolWasListed() throws Exception {
    Upstream upstream = start();
    ObjectNode arguments = Json.object().put("region", "eu-west").put("text", "hi");
    assertThat(upstream.request("tools/call", callParams("c", arguments), CallContext.defaults()))
        .as("before tools/list the client cannot know the annotation").isInstanceOfSatisfying(Reply.Error.class,
            e -> assertThat(e.code()).isEqualTo(-32020));

    upstream.listAll("tools/list", "tools");

    assertThat(text(upstream.request("tools/call", callParams("c", arguments), CallContext.defaults())))
        .isEqualTo("region eu-west");
    assertThat(lastHeaders()).containsEntry("Mcp-Param-Region", "eu-west");
  }

  @Test
  void relaysProgressFromTheResponseStreamUnderTheCallersToken() throws Exception {
    Upstream upstream = start();
    List<ObjectNode> seen = new CopyOnWriteArrayList<>();
    ObjectNode params = callParams("progress", null);
    params.putObject("_meta").put("progressToken", 42);

    Reply reply = upstream.request("tools/call", params, CallContext.defaults().withNotifications(seen::add));

    assertThat(text(reply)).isEqualTo("progressed");
    assertThat(seen).hasSize(3).allSatisfy(n -> assertThat(n.path("params").path("progressToken").asInt())
        .isEqualTo(42));
  }

  @Test
  void anInputRequiredResultComesBackAsTheUpstreamSentIt() throws Exception {
    Upstream upstream = start();

    ObjectNode result = Fixtures.result(upstream.request("tools/call", callParams("input", null),
        CallContext.defaults()));

    assertThat(result.path("resultType").asText()).isEqualTo("input_required");
    assertThat(result.path("requestState").asText()).isEqualTo("opaque-1");
    assertThat(result.path("inputRequests").path("name").path("method").asText()).isEqualTo("elicitation/create");
  }

  @Test
  void listensForListChangesAndListensAgainAfterTheServerEndsTheStream() throws Exception {
    Upstream upstream = start();
    List<ObjectNode> seen = new CopyOnWriteArrayList<>();
    upstream.addListener(seen::add);
    waitUntil(() -> server.listens.get() == 1);

    server.changeTools();
    waitUntil(() -> seen.size() == 1);
    server.endSubscriptions();
    waitUntil(() -> server.listens.get() == 2 && seen.size() == 2);
    server.changeTools();
    waitUntil(() -> seen.size() == 3);

    assertThat(seen).allSatisfy(n -> assertThat(n.path("method").asText())
        .isEqualTo("notifications/tools/list_changed"));
    assertThat(seen.get(1).path("params").path("_meta").path("dev.portcullis/synthetic").asText())
        .isEqualTo("subscription reconnected");
  }

  /** {@code hang} answers with an SSE stream that never carries the result; {@code hang-json} stalls mid-body. */
  @ParameterizedTest
  @ValueSource(strings = {"hang", "hang-json"})
  void aTimeoutClosesAnAnswerThatStallsAndTheUpstreamStaysUsable(String tool) throws Exception {
    Upstream upstream = start();

    assertThatThrownBy(() -> upstream.request("tools/call", callParams(tool, null),
        CallContext.defaults().withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT))
        .hasMessageContaining("upstream modern did not answer tools/call within 300 ms");

    assertThat(server.hangDisconnected.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "alive")),
        CallContext.defaults()))).isEqualTo("alive");
  }

  @Test
  void aJsonAnswerOverTheMessageLimitFailsNamingTheLimitAndTheUpstreamStaysUsable() throws Exception {
    Upstream upstream = Upstream.of(Fixtures.http("modern", server.url(), Wire.AUTO, Duration.ofSeconds(10), Map.of(),
        Optional.empty()), UpstreamOptions.defaults().withMaxMessageBytes(2048));
    opened.add(upstream);
    upstream.start();

    assertThatThrownBy(() -> upstream.request("tools/call", callParams("echo", args("text", "x".repeat(4096))),
        CallContext.defaults()))
        .isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.PROTOCOL))
        .hasMessageContaining("upstream modern answered tools/call with a JSON body over 2048 bytes");
    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "x".repeat(1000))),
        CallContext.defaults()))).isEqualTo("x".repeat(1000));
  }

  @Test
  void cancellingClosesTheResponseStream() throws Exception {
    Upstream upstream = start();
    Cancellation cancellation = new Cancellation();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Reply> hanging = threads.submit(() -> upstream.request("tools/call", callParams("hang", null),
          CallContext.defaults().withCancellation(cancellation)));
      waitUntil(() -> server.seenHeaders.stream().anyMatch(h -> "hang".equals(h.get("Mcp-Name"))));
      cancellation.cancel("agent went away");

      assertThatThrownBy(hanging::get).cause().isInstanceOfSatisfying(UpstreamException.class, e ->
          assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CANCELLED));
    }
    assertThat(server.hangDisconnected.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void multiplexesAHundredConcurrentCalls() throws Exception {
    Upstream upstream = start();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String expected = "call-" + i;
        answers.add(threads.submit(() -> text(upstream.request("tools/call", callParams("echo", args("text", expected)), CallContext.defaults()))));
      }
      for (int i = 0; i < 100; i++) {
        assertThat(answers.get(i).get()).isEqualTo("call-" + i);
      }
    }
  }

  @Test
  void carriesLargeAnswersInJsonAndInSse() throws Exception {
    Upstream upstream = start();

    assertThat(text(upstream.request("tools/call", callParams("large", args("bytes", 8_000_000)),
        CallContext.defaults()))).hasSize(8_000_000);
    assertThat(text(upstream.request("tools/call", callParams("large-sse", args("bytes", 8_000_000)),
        CallContext.defaults()))).hasSize(8_000_000);
  }

  @Test
  void skipsAnSseEventThatIsNotJson() throws Exception {
    Upstream upstream = start();

    assertThat(text(upstream.request("tools/call", callParams("garbage-sse", null), CallContext.defaults())))
        .isEqualTo("after garbage");
  }

  @Test
  void aServerErrorPageBecomesAnHttpFailureWithAnExcerpt() throws Exception {
    Upstream upstream = start();

    assertThatThrownBy(() -> upstream.request("tools/call", callParams("boom", null), CallContext.defaults()))
        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.httpStatus()).hasValue(500))
        .hasMessageContaining("upstream modern answered tools/call with HTTP 500: <h1>kaboom</h1>");
  }

  @Test
  void anUnreachableUpstreamFailsStartNamingTheUrl() throws Exception {
    URI closed;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mcp");
    }
    Upstream upstream = Upstream.of(Fixtures.http("gone", closed, Wire.AUTO, Duration.ofSeconds(5), Map.of(),
        Optional.empty()));
    opened.add(upstream);

    assertThatThrownBy(upstream::start).isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE))
        .hasMessageContaining("upstream gone at " + closed + " cannot be reached");
  }
}
