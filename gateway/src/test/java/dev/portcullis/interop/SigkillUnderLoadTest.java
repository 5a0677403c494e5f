package dev.portcullis.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Verification;
import dev.portcullis.json.Json;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.McpTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load: a gateway in its own JVM answers concurrent calls until it is killed mid-stream; afterwards every
 * call whose answer reached a client is in the SQLite audit log, and the chain verifies. (The audit step releases an
 * answer only after its entry is committed, so an answered call can never be missing.)
 */
class SigkillUnderLoadTest {
  private static final int CLIENTS = 8;
  private static final int ANSWERS_BEFORE_KILL = 400;

  @TempDir
  Path dir;

  @Test
  void everyAnsweredCallSurvivesSigkillInTheAuditLog() throws Exception {
    ApiKeys.NewKey key = ApiKeys.create("loader");
    Path sandbox = Files.createDirectories(dir.resolve("files"));
    Files.writeString(sandbox.resolve("a.txt"), "load");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        version: 1
        upstreams:
          acme: { command: %s }
        agents:
          loader:
            roles: [reader]
            keys: [ %s ]
        roles:
          reader:
            grants:
              - id: read
                tools: [acme.files_read]
        """.formatted(Peers.acme(sandbox), key.yamlEntry()));
    Path data = Files.createDirectories(dir.resolve("data"));

    Process gateway = new ProcessBuilder(FixtureProcess.command(GatewayProcessMain.class,
        List.of(policy.toString(), data.toString()))).redirectError(dir.resolve("gateway.err").toFile()).start();
    Set<String> answered = ConcurrentHashMap.newKeySet();
    try {
      URI url = awaitUrl(gateway);
      AtomicInteger count = new AtomicInteger();
      CountDownLatch enough = new CountDownLatch(1);
      ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.submit(() -> load(url, key.plaintext(), client, answered, count, enough));
      }
      assertThat(enough.await(5, TimeUnit.MINUTES)).as("answers before the kill").isTrue();
      gateway.destroyForcibly();
      assertThat(gateway.waitFor(1, TimeUnit.MINUTES)).isTrue();
      clients.shutdown();
      assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      gateway.destroyForcibly();
    }

    assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERS_BEFORE_KILL);
    try (AuditStore store = AuditStore.readSqlite(data.resolve("audit.db"))) {
      Verification verification = AuditLog.verify(store);
      Set<String> logged = store.range(1, Integer.MAX_VALUE).stream().map(AuditRecord::requestId)
          .collect(Collectors.toSet());

      assertThat(verification.intact()).as(verification.message()).isTrue();
      assertThat(answered).allSatisfy(id -> assertThat(logged).as("answered request %s is in the log", id).contains(id));
    }
  }

  /** Calls as fast as answers come until the gateway dies; records the id of every answered call. */
  private static void load(URI url, String key, int client, Set<String> answered, AtomicInteger count,
      CountDownLatch enough) {
    try (McpTestClient mcp = McpTestClient.stateless(url).header("Authorization", "Bearer " + key)) {
      for (int i = 0; ; i++) {
        String id = "c" + client + "-" + i;
        boolean denied = i % 4 == 3;
        ObjectNode params = Json.object().put("name", denied ? "acme.files_write" : "acme.files_read");
        params.putObject("arguments").put("path", "a.txt");
        params.putObject("_meta").put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
            .putObject("io.modelcontextprotocol/clientCapabilities");
        ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call");
        message.set("params", params);
        McpTestClient.Response response = mcp.send(message, McpTestClient.standardHeaders("tools/call", params));
        if (response.status() == 200 && response.body() != null && response.body().has("result")) {
          answered.add(id);
          if (count.incrementAndGet() >= ANSWERS_BEFORE_KILL) {
            enough.countDown();
          }
        }
      }
    } catch (RuntimeException e) {
      // the gateway was killed: the connection broke
    }
  }

  /** Reads the child's stdout (its log goes there too) up to the URL line, then keeps draining it. */
  private static URI awaitUrl(Process gateway) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(GatewayProcessMain.LISTENING)) {
        Thread.ofVirtual().start(() -> {
          try {
            out.lines().forEach(l -> { });
          } catch (java.io.UncheckedIOException ended) {
            // the process was killed
          }
        });
        return URI.create(line.substring(GatewayProcessMain.LISTENING.length()).strip());
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the gateway process exited without printing its URL:\n" + seen);
  }
}
