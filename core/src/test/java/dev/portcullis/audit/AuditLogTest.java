package dev.portcullis.audit;

import static dev.portcullis.audit.Entries.call;
import static dev.portcullis.audit.Entries.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEntry.Outcome;
import dev.portcullis.audit.AuditEntry.Verdict;
import dev.portcullis.audit.StoreFixture.Backend;
import dev.portcullis.json.Json;
import dev.portcullis.model.ResultFilter.FilterReport;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Appending, group commit and resuming, over both stores. */
class AuditLogTest {
  private static final String MATRIX = "dev.portcullis.audit.StoreFixture#backends";

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void appendedEntriesReadBackAsTheyWereGivenWithSecretsRedacted(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      AuditEntry denied = AuditEntry.builder()
          .time(Entries.T0).requestId("r-9").session("s-1").agent("support-bot")
          .actorChain(List.of("ops-bot", "planner"))
          .protocolVersion("2025-11-25").method("tools/call").tool("acme.mail_send")
          .arguments(json("""
              {"to": "x@evil.example", "api_key": "sk-live-123", "auth": {"password": "hunter2"}}"""))
          .decision(Verdict.DENY, "no-egress-after-untrusted-private", "private data and untrusted content seen")
          .policyVersion("sha256:abc")
          .extra((ObjectNode) json("{\"approval_id\":\"ap-1\",\"cost_usd\":0.01}"))
          .build();
      AuditEntry filtered = AuditEntry.builder().time(Entries.T0.plusSeconds(1)).requestId("r-10").session("s-1")
          .agent("support-bot").method("tools/call").tool("acme.crm_search")
          .decision(Verdict.ALLOW, "read-customers", "ok")
          .upstreamLatency(Duration.ofMillis(12)).outcome(Outcome.OK)
          .result(json("{\"structuredContent\":{\"rows\":[{\"name\":\"A\",\"token\":\"t-1\"}]},\"content\":[]}"))
          .filtered(new FilterReport(2, List.of("card_number")))
          .build();

      try (AuditLog log = AuditLog.start(store, Redactor.secrets())) {
        assertThat(log.append(denied).join()).isEqualTo(1L);
        assertThat(log.append(filtered).join()).isEqualTo(2L);
      }

      List<AuditRecord> records = store.session("s-1");
      assertThat(records).hasSize(2);
      AuditRecord first = records.get(0);
      assertThat(first.seq()).isEqualTo(1);
      assertThat(first.prevHash()).isEqualTo(Row.GENESIS);
      assertThat(first.time()).isEqualTo(Entries.T0.truncatedTo(ChronoUnit.MICROS));
      assertThat(first.actorChain()).containsExactly("ops-bot", "planner");
      assertThat(first.decision()).isEqualTo(Verdict.DENY);
      assertThat(first.rule()).isEqualTo("no-egress-after-untrusted-private");
      assertThat(first.outcome()).isEqualTo(Outcome.NOT_FORWARDED);
      assertThat(first.policyVersion()).isEqualTo("sha256:abc");
      assertThat(first.arguments()).isEqualTo(
          json("{\"to\":\"x@evil.example\",\"api_key\":\"[redacted]\",\"auth\":{\"password\":\"[redacted]\"}}"));
      assertThat(first.extra()).isEqualTo(json("{\"approval_id\":\"ap-1\",\"cost_usd\":0.01}"));
      assertThat(first.resultExcerpt()).isEmpty();
      assertThat(first.resultSha256()).isEmpty();

      AuditRecord second = records.get(1);
      assertThat(second.prevHash()).isEqualTo(first.hash());
      assertThat(second.upstreamLatency()).isEqualTo(Duration.ofMillis(12));
      assertThat(second.filtered()).isEqualTo(new FilterReport(2, List.of("card_number")));
      assertThat(second.resultExcerpt()).contains("[redacted]").doesNotContain("t-1");
      assertThat(second.resultSha256()).hasSize(64);
      assertThat(store.last()).contains(second);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void concurrentAppendsFromManyVirtualThreadsFormOneChainInAppendOrder(Backend backend) throws Exception {
    appendFromVirtualThreadsAndCheckOneChain(backend, 50, 200, (log, entry) -> log.append(entry).join());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void waitingAppendsFromManyVirtualThreadsFormOneChainInAppendOrderAndShareCommits(Backend backend)
      throws Exception {
    AuditLog.Stats stats = appendFromVirtualThreadsAndCheckOneChain(backend, 32, 100, AuditLog::appendAndWait);

    assertThat(stats.largestBatch()).as("entries committed together by one leader").isGreaterThan(1);
    assertThat(stats.commits()).isLessThan(stats.entries());
  }

  /** How a test thread appends one entry and learns its sequence number. */
  private interface Append {
    long apply(AuditLog log, AuditEntry entry);
  }

  /**
   * Appends {@code perThread} entries from each of {@code threads} virtual threads, then checks that they form one
   * intact chain with every sequence number once, each thread's entries in its own order. Returns the log's stats.
   */
  private static AuditLog.Stats appendFromVirtualThreadsAndCheckOneChain(Backend backend, int threads, int perThread,
      Append append) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      ConcurrentHashMap<Integer, List<Long>> seqsByThread = new ConcurrentHashMap<>();
      AuditLog.Stats stats;
      try (AuditLog log = AuditLog.start(store, Redactor.secrets());
           var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int t = 0; t < threads; t++) {
          int thread = t;
          executor.submit(() -> {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              seqs.add(append.apply(log, call("s-" + thread, thread * perThread + i)));
            }
            seqsByThread.put(thread, seqs);
          });
        }
        executor.shutdown();
        executor.close();
        stats = log.stats();
      }

      Set<Long> all = new HashSet<>();
      seqsByThread.values().forEach(seqs -> {
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        all.addAll(seqs);
      });
      assertThat(all).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, (long) threads * perThread).boxed().toList());
      assertThat(stats.entries()).isEqualTo((long) threads * perThread);
      assertThat(stats.failedCommits()).isZero();
      Verification v = AuditLog.verify(store);
      assertThat(v).isInstanceOf(Verification.Intact.class);
      assertThat(((Verification.Intact) v).entries()).isEqualTo((long) threads * perThread);
      for (int t = 0; t < threads; t += 5) {
        int thread = t;
        List<AuditRecord> session = store.session("s-" + t);
        assertThat(session).extracting(AuditRecord::seq).containsExactlyElementsOf(seqsByThread.get(t));
        assertThat(session).extracting(AuditRecord::requestId).containsExactlyElementsOf(
            IntStream.range(0, perThread).mapToObj(i -> "r-" + (thread * perThread + i)).toList());
      }
      return stats;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void waitingAppendersArrivingDuringACommitAreCommittedTogetherByOneOfThem(Backend backend) throws Exception {
    int appenders = 64;
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open();
         AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      List<Thread> threads = new ArrayList<>();
      ConcurrentHashMap<Integer, Long> seqs = new ConcurrentHashMap<>();
      try (AutoCloseable blocked = f.blockWrites()) {
        for (int i = 0; i < appenders; i++) {
          int n = i;
          threads.add(Thread.ofVirtual().start(() -> seqs.put(n, log.appendAndWait(call("s-" + n, n)))));
        }
        // One appender leads and is stuck on the blocked store; the others queue behind it and wait.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() < appenders - 1
            && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
      }
      for (Thread t : threads) {
        t.join();
      }

      AuditLog.Stats stats = log.stats();
      assertThat(stats.entries()).isEqualTo(appenders);
      assertThat(stats.failedCommits()).isZero();
      assertThat(stats.commits()).isLessThanOrEqualTo(2);
      assertThat(stats.largestBatch()).isGreaterThanOrEqualTo(appenders / 2);
      assertThat(seqs.values()).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, appenders).boxed().toList());
      assertThat(AuditLog.verify(store).intact()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void waitingAppendThatCannotBeCommittedThrowsAndAppendAfterCloseIsRefused(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      AuditLog log = AuditLog.start(store, Redactor.secrets());
      assertThat(log.appendAndWait(call("s-1", 1))).isEqualTo(1L);
      f.sql("ALTER TABLE " + f.table() + " RENAME TO audit_log_away");
      assertThatThrownBy(() -> log.appendAndWait(call("s-1", 2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the response must not be released");
      f.sql("ALTER TABLE " + f.table() + "_away RENAME TO audit_log");
      assertThat(log.appendAndWait(call("s-1", 3))).isEqualTo(2L);
      log.close();
      assertThatThrownBy(() -> log.appendAndWait(call("s-1", 4)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is closed; entry not stored");
      assertThat(store.range(1, 10)).hasSize(2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void entriesAppendedDuringACommitAreCommittedTogether(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open();
         AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      try (AutoCloseable blocked = f.blockWrites()) {
        for (int i = 0; i < 100; i++) {
          futures.add(log.append(call("s-1", i)));
        }
      }
      futures.forEach(CompletableFuture::join);

      AuditLog.Stats stats = log.stats();
      assertThat(stats.entries()).isEqualTo(100);
      assertThat(stats.commits()).isLessThanOrEqualTo(2);
      assertThat(stats.largestBatch()).isGreaterThanOrEqualTo(50);
      assertThat(futures).extracting(CompletableFuture::join)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void restartedLogContinuesTheChain(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend)) {
      try (AuditStore store = f.open(); AuditLog log = AuditLog.start(store, Redactor.secrets())) {
        for (int i = 0; i < 10; i++) {
          log.append(call("s-1", i)).join();
        }
      }
      try (AuditStore store = f.open(); AuditLog log = AuditLog.start(store, Redactor.secrets())) {
        assertThat(log.stats().headSeq()).isEqualTo(10);
        assertThat(log.append(call("s-2", 10)).join()).isEqualTo(11L);
        assertThat(store.range(10, 2)).extracting(AuditRecord::seq).containsExactly(10L, 11L);
        assertThat(store.range(11, 1).getFirst().prevHash()).isEqualTo(store.range(10, 1).getFirst().hash());
      }
      try (AuditStore store = f.openForReading()) {
        assertThat(AuditLog.verify(store).message()).startsWith("chain intact: 11 entries, head ");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void secondWriterOnTheSameLogIsRefused(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open(); AuditStore other = f.open();
         AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      assertThatThrownBy(() -> AuditLog.start(other, Redactor.secrets()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is already being written");
      assertThat(log.append(call("s-1", 1)).join()).isEqualTo(1L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void appendAfterCloseFailsInsteadOfWaitingForever(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      AuditLog log = AuditLog.start(store, Redactor.secrets());
      log.append(call("s-1", 1)).join();
      log.close();
      assertThatThrownBy(() -> log.append(call("s-1", 2)).join())
          .isInstanceOf(CompletionException.class)
          .hasMessageContaining("is closed; entry not stored");
      assertThat(store.range(1, 10)).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void entryThatCannotBeCommittedFailsItsFutureAndTheChainContinuesAfterwards(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open();
         AuditLog log = AuditLog.start(store, Redactor.secrets())) {
      log.append(call("s-1", 1)).join();
      f.sql("ALTER TABLE " + f.table() + " RENAME TO audit_log_away");
      assertThatThrownBy(() -> log.append(call("s-1", 2)).join())
          .isInstanceOf(CompletionException.class)
          .hasMessageContaining("entry not stored")
          .hasMessageContaining("the response must not be released");
      f.sql("ALTER TABLE " + f.table() + "_away RENAME TO audit_log");

      assertThat(log.append(call("s-1", 3)).join()).isEqualTo(2L);
      assertThat(log.stats().failedCommits()).isEqualTo(1);
      assertThat(AuditLog.verify(store).intact()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void awkwardTextIsStoredSoThatTheChainStillVerifies(Backend backend) throws Exception {
    String awkward = "nul\u0000 lone\uD800 pair\uD83D\uDE00 quote\" backslash\\ newline\n ESC\u001b[31m ümlaut";
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      try (AuditLog log = AuditLog.start(store, Redactor.secrets())) {
        log.append(AuditEntry.builder().requestId(awkward).session("s-1").tool(awkward)
            .decision(Verdict.REJECTED, "", awkward).build()).join();
        ObjectNode args = Json.object().put(awkward, awkward);
        log.append(AuditEntry.builder().session("s-1").arguments(args).actorChain(List.of(awkward)).build()).join();
      }
      assertThat(AuditLog.verify(store).intact()).isTrue();
      AuditRecord first = store.session("s-1").getFirst();
      assertThat(first.tool()).isEqualTo(awkward.replace('\u0000', '\uFFFD').replace('\uD800', '\uFFFD'));
    }
  }
}
