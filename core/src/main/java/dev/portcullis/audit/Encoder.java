package dev.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Turns an {@link AuditEntry} into the stored columns on the caller's thread: redacts, serializes canonically, digests
 * the result. What is left for the writer thread is hashing the few hundred bytes of {@link Row.Content#body()}.
 */
final class Encoder {
  static final int EXCERPT_CODE_POINTS = 200;
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private final Redactor redactor;

  Encoder(Redactor redactor) {
    this.redactor = redactor;
  }

  Row.Content encode(AuditEntry e) {
    String resultExcerpt = "";
    String resultSha256 = "";
    if (!e.result().isMissingNode()) {
      JsonNode result = redactor.redact(e.result());
      String canonical = Canonical.json(result);
      resultSha256 = sha256Hex(canonical);
      resultExcerpt = excerpt(result, canonical);
    }
    String filtered = "{\"fields_redacted\":" + Canonical.stringArray(e.filtered().fieldsRedacted())
        + ",\"rows_removed\":" + e.filtered().rowsRemoved() + "}";
    return new Row.Content(
        TIME.format(e.time()),
        text(e.requestId()),
        text(e.session()),
        text(e.agent()),
        Canonical.stringArray(e.actorChain()),
        Canonical.json(redactor.redact(e.clientInfo())),
        text(e.protocolVersion()),
        text(e.method()),
        text(e.tool()),
        Canonical.json(redactor.redact(e.arguments())),
        e.decision().wire(),
        text(e.rule()),
        text(e.reason()),
        text(e.policyVersion()),
        e.upstreamLatency().toNanos() / 1_000,
        e.outcome().wire(),
        text(resultExcerpt),
        resultSha256,
        filtered,
        Canonical.json(redactor.redact(e.extra())));
  }

  static Instant parseTime(String stored) {
    return Instant.from(TIME.parse(stored));
  }

  /** The text blocks of an MCP result when it has any, else its canonical JSON; cut to a readable length. */
  static String excerpt(JsonNode result, String canonical) {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : result.path("content")) {
      if (block.path("type").asText().equals("text")) {
        text.append(text.isEmpty() ? "" : " ").append(block.path("text").asText());
      }
    }
    return cut(text.isEmpty() ? canonical : text.toString(), EXCERPT_CODE_POINTS);
  }

  static String cut(String s, int codePoints) {
    if (s.codePointCount(0, s.length()) <= codePoints) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, codePoints - 1)) + "…";
  }

  private static String text(String s) {
    return Canonical.storable(s);
  }

  private static String sha256Hex(String text) {
    return HexFormat.of().formatHex(Row.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
