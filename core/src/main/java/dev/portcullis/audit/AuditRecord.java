package dev.portcullis.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEntry.Outcome;
import dev.portcullis.audit.AuditEntry.Verdict;
import dev.portcullis.json.Json;
import dev.portcullis.model.ResultFilter.FilterReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One entry as stored in the chain, read back: its position ({@code seq}), its links ({@code prevHash}, {@code hash})
 * and its content, with arguments and result already redacted and the result reduced to an excerpt and a SHA-256.
 * See docs/audit.md for the columns.
 */
public record AuditRecord(
    long seq,
    String prevHash,
    String hash,
    Instant time,
    String requestId,
    String session,
    String agent,
    List<String> actorChain,
    JsonNode clientInfo,
    String protocolVersion,
    String method,
    String tool,
    JsonNode arguments,
    Verdict decision,
    String rule,
    String reason,
    String policyVersion,
    Duration upstreamLatency,
    Outcome outcome,
    String resultExcerpt,
    String resultSha256,
    FilterReport filtered,
    ObjectNode extra) {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /**
   * Reads a row's columns.
   *
   * @throws IllegalArgumentException when a column does not hold what the schema says (the row was edited by hand)
   */
  static AuditRecord of(Row row) {
    Row.Content c = row.content();
    try {
      JsonNode filtered = Json.MAPPER.readTree(c.filteredJson());
      return new AuditRecord(row.seq(), row.prevHash(), row.hash(), Encoder.parseTime(c.time()), c.requestId(),
          c.session(), c.agent(), Json.MAPPER.readValue(c.actorChainJson(), STRINGS),
          Json.MAPPER.readTree(c.clientInfoJson()), c.protocolVersion(), c.method(), c.tool(),
          Json.MAPPER.readTree(c.argumentsJson()), Verdict.fromWire(c.decision()), c.rule(), c.reason(),
          c.policyVersion(), Duration.ofNanos(c.latencyMicros() * 1_000), Outcome.fromWire(c.outcome()),
          c.resultExcerpt(), c.resultSha256(),
          new FilterReport(filtered.path("rows_removed").asInt(),
              Json.MAPPER.convertValue(filtered.path("fields_redacted"), STRINGS)),
          (ObjectNode) Json.MAPPER.readTree(c.extraJson()));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("audit entry seq " + row.seq() + " (request " + row.content().requestId()
          + ") has a column that is not in the stored format: " + e.getMessage(), e);
    }
  }
}
