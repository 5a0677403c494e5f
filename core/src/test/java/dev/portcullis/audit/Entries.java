package dev.portcullis.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditEntry.Outcome;
import dev.portcullis.audit.AuditEntry.Verdict;
import dev.portcullis.json.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Sample entries for the tests. */
final class Entries {
  static final Instant T0 = Instant.parse("2026-11-03T10:15:02.123456789Z");

  private Entries() {}

  /** An allowed, successful {@code tools/call} numbered {@code i} in session {@code session}. */
  static AuditEntry call(String session, int i) {
    return AuditEntry.builder()
        .time(T0.plusMillis(i * 10L))
        .requestId("r-" + i)
        .session(session)
        .agent("support-bot")
        .actorChain(List.of("planner"))
        .clientInfo(json("{\"name\":\"claude-code\",\"version\":\"2.1\"}"))
        .protocolVersion("2026-07-28")
        .method("tools/call")
        .tool("acme.crm_search")
        .arguments(json("{\"query\":\"Berlin " + i + "\",\"limit\":10}"))
        .decision(Verdict.ALLOW, "read-customers", "grant read-customers allows acme.crm_search")
        .policyVersion("sha256:policy-1")
        .upstreamLatency(Duration.ofMillis(45))
        .outcome(Outcome.OK)
        .result(json("{\"content\":[{\"type\":\"text\",\"text\":\"3 customers in Berlin\"}],\"isError\":false}"))
        .build();
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
