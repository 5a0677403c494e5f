package dev.portcullis.upstream;

import static dev.portcullis.upstream.Fixtures.callParams;
import static dev.portcullis.upstream.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig.Value;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The stdio upstream against a real child process ({@link StdioFixtureServer}). */
@Timeout(60)
class StdioUpstreamTest {
  private final List<Upstream> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Upstream::close);
  }

  private Upstream start(String mode, Wire wire, Duration timeout) throws UpstreamException {
    return start(mode, wire, timeout, Map.of());
  }

  private Upstream start(String mode, Wire wire, Duration timeout, Map<String, Value> env) throws UpstreamException {
    Upstream upstream = Upstream.of(Fixtures.stdio("fx", mode, wire, timeout, env), Fixtures.fastRestarts());
    opened.add(upstream);
    upstream.start();
    return upstream;
  }

  private static ObjectNode args(String key, Object value) {
    return Json.MAPPER.valueToTree(Map.of(key, value));
  }

  @Test
  void fallsBackToInitializeWhenTheServerDoesNotKnowServerDiscover() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));

    assertThat(upstream.info().wire()).isEqualTo(Wire.STATEFUL);
    assertThat(upstream.info().protocolVersion()).isEqualTo("2025-11-25");
    assertThat(upstream.info().instructions()).contains("use the echo tool");
    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "hi")), CallContext.defaults())))
        .isEqualTo("hi");
  }

  @Test
  void speaksTheStatelessWireWhenServerDiscoverAnswers() throws Exception {
    Upstream upstream = start("modern", Wire.AUTO, Duration.ofSeconds(10));
    ObjectNode params = callParams("echo", args("text", "hi"));
    params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "1999-01-01").putObject(
        "io.modelcontextprotocol/clientCapabilities").putObject("elicitation");

    Reply reply = upstream.request("tools/call", params, CallContext.defaults());

    assertThat(upstream.info().wire()).isEqualTo(Wire.STATELESS);
    assertThat(upstream.info().serverInfo().path("name").asText()).isEqualTo("fixture");
    ObjectNode meta = (ObjectNode) Fixtures.result(reply).get("structuredContent");
    assertThat(meta.path("io.modelcontextprotocol/protocolVersion").asText()).isEqualTo("2026-07-28");
    assertThat(meta.path("io.modelcontextprotocol/clientCapabilities").has("elicitation")).isTrue();
    assertThat(meta.path("io.modelcontextprotocol/clientInfo").path("name").asText()).isEqualTo("portcullis");
    assertThat(params.path("_meta").path("io.modelcontextprotocol/protocolVersion").asText())
        .as("the caller's params are left alone").isEqualTo("1999-01-01");
  }

  @Test
  void dropsTheStatelessMetaKeysOnTheLegacyWire() throws Exception {
    Upstream upstream = start("legacy", Wire.STATEFUL, Duration.ofSeconds(10));
    ObjectNode params = callParams("echo", args("text", "hi"));
    params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2026-07-28").put("trace", "t1");

    ObjectNode meta = (ObjectNode) Fixtures.result(upstream.request("tools/call", params, CallContext.defaults()))
        .get("structuredContent");

    assertThat(meta.has("io.modelcontextprotocol/protocolVersion")).isFalse();
    assertThat(meta.path("trace").asText()).isEqualTo("t1");
  }

  @Test
  void refusesToStartWhenConfiguredStatelessButTheServerIsLegacy() {
    Upstream upstream = Upstream.of(Fixtures.stdio("fx", "legacy", Wire.STATELESS, Duration.ofSeconds(10), Map.of()));
    opened.add(upstream);

    assertThatThrownBy(upstream::start).isInstanceOf(UpstreamException.class)
        .hasMessageContaining("upstream fx is configured with wire: stateless but refused server/discover")
        .hasMessageContaining("set wire: auto or stateful");
  }

  @Test
  void followsCursorsThroughEveryPage() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));

    var tools = upstream.listAll("tools/list", "tools");

    assertThat(tools).hasSize(6);
    assertThat(tools.get(5).path("name").asText()).isEqualTo("tool5");
  }

  @Test
  void relaysProgressUnderTheCallersOwnTokenBeforeTheAnswer() throws Exception {
    Upstream upstream = start("modern", Wire.AUTO, Duration.ofSeconds(10));
    List<ObjectNode> seen = new CopyOnWriteArrayList<>();
    ObjectNode params = callParams("progress", null);
    params.putObject("_meta").put("progressToken", "agent-token-1");

    Reply reply = upstream.request("tools/call", params, CallContext.defaults().withNotifications(seen::add));

    assertThat(text(reply)).isEqualTo("progressed");
    assertThat(seen).hasSize(5).allSatisfy(n ->
        assertThat(n.path("params").path("progressToken").asText()).isEqualTo("agent-token-1"));
    assertThat(seen.get(4).path("params").path("progress").asInt()).isEqualTo(5);
  }

  @Test
  void multiplexesAHundredConcurrentCallsOnOneProcess() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(30));
    String pid = text(upstream.request("tools/call", callParams("pid", null), CallContext.defaults()));
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String expected = "call-" + i;
        answers.add(threads.submit(() -> text(upstream.request("tools/call", callParams("echo", args("text",
            expected)), CallContext.defaults()))));
      }
      for (int i = 0; i < 100; i++) {
        assertThat(answers.get(i).get()).isEqualTo("call-" + i);
      }
    }
    assertThat(text(upstream.request("tools/call", callParams("pid", null), CallContext.defaults()))).isEqualTo(pid);
  }

  @Test
  void skipsGarbageLinesAndKeepsServing() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));

    assertThat(text(upstream.request("tools/call", callParams("garbage", null), CallContext.defaults())))
        .isEqualTo("after garbage");
    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "still here")),
        CallContext.defaults()))).isEqualTo("still here");
  }

  @Test
  void failsInFlightCallsWithTheExitCodeAndStderrThenRestarts() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(30));
    List<ObjectNode> refreshes = new CopyOnWriteArrayList<>();
    upstream.addListener(refreshes::add);
    String firstPid = text(upstream.request("tools/call", callParams("pid", null), CallContext.defaults()));
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Reply> hanging = threads.submit(() -> upstream.request("tools/call", callParams("hang", null),
          CallContext.defaults()));
      waitUntil(() -> !hanging.isDone() && inFlight(upstream) >= 1);

      assertThatThrownBy(() -> upstream.request("tools/call", callParams("crash", args("reason", "disk on fire")),
          CallContext.defaults()))
          .isInstanceOfSatisfying(UpstreamException.class, e ->
              assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE))
          .hasMessageContaining("upstream fx exited with code 3")
          .hasMessageContaining("about to crash: disk on fire");
      assertThatThrownBy(hanging::get).hasCauseInstanceOf(UpstreamException.class)
          .hasMessageContaining("exited with code 3");
    }
    String secondPid = awaitAnswer(() -> text(upstream.request("tools/call", callParams("pid", null),
        CallContext.defaults())));
    assertThat(secondPid).isNotEqualTo(firstPid);
    waitUntil(() -> !refreshes.isEmpty());
    assertThat(refreshes.getFirst().path("method").asText()).isEqualTo("notifications/tools/list_changed");
  }

  @Test
  void aCallRacingACrashFailsWithTheCrashAndNeverReachesTheRelaunchedProcessBeforeItsHandshake(@TempDir Path gate)
      throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(3), Map.of("FIXTURE_GATE",
        new Value.Literal(gate.toString())));
    CountDownLatch pastReadyCheck = new CountDownLatch(1);
    CountDownLatch crashHandled = new CountDownLatch(1);
    // The per-call token is minted after the ready check and before the call is registered: holding the mint there
    // keeps the call in the window where the crash lands.
    CallContext racing = CallContext.defaults().withCredential(() -> {
      pastReadyCheck.countDown();
      try {
        crashHandled.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "per-call-token";
    });
    Files.createFile(gate.resolve("hold"));
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Reply> late = threads.submit(() -> upstream.request("tools/call", callParams("echo", args("text",
          "late")), racing));
      pastReadyCheck.await();
      assertThatThrownBy(() -> upstream.request("tools/call", callParams("crash", args("reason", "mid-race")),
          CallContext.defaults())).hasMessageContaining("upstream fx exited with code 3");
      // The relaunched process is now the current one, and its handshake is held open.
      waitUntil(() -> {
        try (var files = Files.list(gate)) {
          return files.anyMatch(f -> f.getFileName().toString().startsWith("holding-"));
        }
      });
      crashHandled.countDown();

      assertThatThrownBy(late::get).cause()
          .isInstanceOfSatisfying(UpstreamException.class, e ->
              assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE))
          .hasMessageContaining("upstream fx exited with code 3")
          .hasMessageContaining("about to crash: mid-race");
    }
    Files.delete(gate.resolve("hold"));
    assertThat(awaitAnswer(() -> text(upstream.request("tools/call", callParams("early", null),
        CallContext.defaults())))).as("requests the relaunched process got before its handshake").isEqualTo("0");
  }

  @Test
  void aRelaunchThatExitsBeforeItsHandshakeIsRetriedWithItsErrorUntilItStartsAgain(@TempDir Path gate)
      throws Exception {
    Path broken = gate.resolve("broken");
    // While 'broken' exists, each relaunch exits at once (before its handshake can even be registered).
    List<String> command = new ArrayList<>(List.of("sh", "-c", "if [ -e '" + broken + "' ]; then echo 'missing API"
        + " key' >&2; exit 5; fi; exec \"$0\" \"$@\""));
    command.addAll(Fixtures.stdio("fx", "legacy", Wire.AUTO, Duration.ofSeconds(30), Map.of()).command());
    Upstream upstream = Upstream.of(Fixtures.command("fx", command, Duration.ofSeconds(30)),
        UpstreamOptions.defaults().withRestart(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(30)));
    opened.add(upstream);
    upstream.start();
    Files.createFile(broken);

    assertThatThrownBy(() -> upstream.request("tools/call", callParams("crash", args("reason", "first")),
        CallContext.defaults())).hasMessageContaining("upstream fx exited with code 3");
    waitUntil(() -> upstream.state() instanceof UpstreamState.Restarting r
        && r.exit().map(e -> e.exitCode().orElse(-1)).orElse(-1) == 5
        && r.reason().contains("missing API key"));
    assertThatThrownBy(() -> upstream.request("tools/call", callParams("pid", null), CallContext.defaults()))
        .hasMessageContaining("upstream fx is restarting").hasMessageContaining("exited with code 5");

    Files.delete(broken);
    assertThat(awaitAnswer(() -> text(upstream.request("tools/call", callParams("echo", args("text", "back")),
        CallContext.defaults())))).isEqualTo("back");
  }

  @Test
  void aHungCallTimesOutNamingTheUpstreamAndTheUpstreamStaysUsable() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));

    assertThatThrownBy(() -> upstream.request("tools/call", callParams("hang", null),
        CallContext.defaults().withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT))
        .hasMessageContaining("upstream fx did not answer tools/call within 300 ms");

    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "alive")),
        CallContext.defaults()))).isEqualTo("alive");
    waitUntil(() -> cancelledIds(upstream).size() == 1);
  }

  @Test
  void cancellingACallSendsCancelledToTheServer() throws Exception {
    Upstream upstream = start("modern", Wire.AUTO, Duration.ofSeconds(10));
    Cancellation cancellation = new Cancellation();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Reply> hanging = threads.submit(() -> upstream.request("tools/call", callParams("hang", null),
          CallContext.defaults().withCancellation(cancellation)));
      waitUntil(() -> inFlight(upstream) >= 1);
      cancellation.cancel("agent went away");

      assertThatThrownBy(hanging::get).cause().isInstanceOfSatisfying(UpstreamException.class, e ->
          assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CANCELLED)).hasMessageContaining("agent went away");
    }
    waitUntil(() -> cancelledIds(upstream).size() == 1);
  }

  @Test
  void carriesLargeResponsesIntact() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(30));

    String big = text(upstream.request("tools/call", callParams("large", args("bytes", 8_000_000)),
        CallContext.defaults()));

    assertThat(big).hasSize(8_000_000);
  }

  @Test
  void answersStillArriveWhileTheServerFloodsNotifications() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(30));
    upstream.addListener(n -> sleepQuietly(1));

    assertThat(text(upstream.request("tools/call", callParams("flood", args("count", 20_000)),
        CallContext.defaults()))).isEqualTo("flooded");
    assertThat(text(upstream.request("tools/call", callParams("echo", args("text", "next")),
        CallContext.defaults()))).isEqualTo("next");
  }

  @Test
  void aServerRequestDuringTheOnlyCallInFlightGoesToThatCallsHandler() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));
    ObjectNode ask = Json.object().put("method", "elicitation/create");
    ask.putObject("params").put("message", "name?");
    List<ObjectNode> asked = new CopyOnWriteArrayList<>();

    Reply reply = upstream.request("tools/call", callParams("ask", ask), CallContext.defaults().withServerRequests(
        request -> {
          asked.add(request);
          ObjectNode result = Json.object().put("action", "accept");
          result.putObject("content").put("name", "Ada");
          return Reply.result(result);
        }));

    assertThat(asked).singleElement().satisfies(r -> assertThat(r.path("params").path("message").asText())
        .isEqualTo("name?"));
    assertThat(Fixtures.result(reply).path("structuredContent").path("result").path("content").path("name")
        .asText()).isEqualTo("Ada");
  }

  @Test
  void answersTheServersPingWithoutBotheringAnyHandler() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));
    ObjectNode ask = Json.object().put("method", "ping");
    ask.putObject("params");

    Reply reply = upstream.request("tools/call", callParams("ask", ask), CallContext.defaults().withServerRequests(
        request -> Reply.error(-1, "ping must not reach a handler")));

    ObjectNode answer = (ObjectNode) Fixtures.result(reply).path("structuredContent");
    assertThat(answer.has("error")).isFalse();
    assertThat(answer.path("result").isObject()).isTrue();
  }

  @Test
  void rootsListAlwaysGoesToTheUpstreamHandler() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));
    upstream.setServerRequestHandler(request -> {
      ObjectNode result = Json.object();
      result.putArray("roots").addObject().put("uri", "file:///srv/shared");
      return Reply.result(result);
    });
    ObjectNode ask = Json.object().put("method", "roots/list");
    ask.putObject("params");

    Reply reply = upstream.request("tools/call", callParams("ask", ask), CallContext.defaults().withServerRequests(
        request -> Reply.error(-1, "the call's handler must not see roots/list")));

    assertThat(Fixtures.result(reply).path("structuredContent").path("result").path("roots").path(0).path("uri")
        .asText()).isEqualTo("file:///srv/shared");
  }

  @Test
  void listChangedReachesListenersOnBothWires() throws Exception {
    for (String mode : List.of("legacy", "modern")) {
      Upstream upstream = start(mode, Wire.AUTO, Duration.ofSeconds(10));
      List<ObjectNode> seen = new CopyOnWriteArrayList<>();
      upstream.addListener(seen::add);

      // The fixture only notifies subscriptions it has already registered, so change until one arrives.
      waitUntil(() -> {
        upstream.request("tools/call", callParams("change", null), CallContext.defaults());
        return seen.stream().anyMatch(n -> n.path("method").asText().equals("notifications/tools/list_changed"));
      });
    }
  }

  @Test
  void passesConfiguredEnvironmentAndWithholdsTheRest() throws Exception {
    String withheld = System.getenv().keySet().stream()
        .filter(k -> !UpstreamOptions.SAFE_ENVIRONMENT.contains(k)).findFirst().orElse(null);
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10), Map.of("FIXTURE_TOKEN",
        new Value.Literal("s3cret")));

    assertThat(text(upstream.request("tools/call", callParams("env", args("name", "FIXTURE_TOKEN")),
        CallContext.defaults()))).isEqualTo("s3cret");
    assertThat(text(upstream.request("tools/call", callParams("env", args("name", "PATH")),
        CallContext.defaults()))).isEqualTo(System.getenv("PATH"));
    if (withheld != null) {
      assertThat(text(upstream.request("tools/call", callParams("env", args("name", withheld)),
          CallContext.defaults()))).isEqualTo("null");
    }
  }

  @Test
  void aCommandThatCannotRunFailsStartNamingItAndTheFix() {
    Upstream upstream = Upstream.of(Fixtures.command("ghost", List.of("/nonexistent/mcp-server"),
        Duration.ofSeconds(5)));
    opened.add(upstream);

    assertThatThrownBy(upstream::start).isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE))
        .hasMessageContaining("upstream ghost cannot be launched with command [/nonexistent/mcp-server]")
        .hasMessageContaining("check its 'command'");
  }

  @Test
  void aServerThatExitsAtOnceFailsStartWithItsStderr() {
    Upstream upstream = Upstream.of(Fixtures.command("quitter", List.of("sh", "-c", "echo 'missing API key' >&2;"
        + " exit 7"), Duration.ofSeconds(5)));
    opened.add(upstream);

    assertThatThrownBy(upstream::start).isInstanceOf(UpstreamException.class)
        .hasMessageContaining("upstream quitter exited with code 7").hasMessageContaining("missing API key");
  }

  @Test
  void closeEndsTheProcessAndLaterCallsFail() throws Exception {
    Upstream upstream = start("legacy", Wire.AUTO, Duration.ofSeconds(10));
    long pid = Long.parseLong(text(upstream.request("tools/call", callParams("pid", null), CallContext.defaults())));

    upstream.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThatThrownBy(() -> upstream.request("tools/call", callParams("pid", null), CallContext.defaults()))
        .isInstanceOfSatisfying(UpstreamException.class, e ->
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE)).hasMessageContaining("is closed");
  }

  @Test
  void closeEscalatesToSigtermAndSigkillWhenTheServerIgnoresStdinClosing() throws Exception {
    Upstream upstream = start("stubborn", Wire.AUTO, Duration.ofSeconds(10));
    long pid = Long.parseLong(text(upstream.request("tools/call", callParams("pid", null), CallContext.defaults())));

    upstream.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  /**
   * The tools/call exchanges still waiting for an answer. An answered exchange can linger in the pending map for a
   * moment after its caller woke up (the map entry is removed by a completion callback that runs after the waiter is
   * released), so counting map entries alone would let a just-answered call pass for the next one.
   */
  private static int inFlight(Upstream upstream) {
    int n = 0;
    for (Exchange ex : ((McpUpstream) upstream).inFlight()) {
      n += ex.method.equals("tools/call") && !ex.isDone() ? 1 : 0;
    }
    return n;
  }

  private static Set<String> cancelledIds(Upstream upstream) throws UpstreamException {
    Reply reply = upstream.request("tools/call", callParams("cancelled", null), CallContext.defaults());
    Set<String> ids = ConcurrentHashMap.newKeySet();
    Fixtures.result(reply).path("structuredContent").path("ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  interface Check {
    boolean holds() throws Exception;
  }

  interface Attempt<T> {
    T get() throws Exception;
  }

  static void waitUntil(Check check) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (check.holds()) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("condition never held");
  }

  static <T> T awaitAnswer(Attempt<T> attempt) throws Exception {
    Exception last = null;
    for (int i = 0; i < 200; i++) {
      try {
        return attempt.get();
      } catch (UpstreamException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    throw new AssertionError("never answered", last);
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
