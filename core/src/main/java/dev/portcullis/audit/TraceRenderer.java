package dev.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditEntry.Outcome;
import dev.portcullis.audit.AuditEntry.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a session's entries as a timeline, two lines per entry:
 *
 * <pre>
 *   +0.210s  #2     planner &gt; support-bot  tools/call acme.crm_search {limit: 10, query: "Berlin"}
 *                   allow (read-customers)  ok  45 ms  "3 customers: …"  filtered: 2 rows  [request 17]
 * </pre>
 *
 * Everything stored came from agents or tools, so control characters are shown escaped: a tool name cannot move the
 * cursor or recolour the terminal of whoever reads the trace.
 */
final class TraceRenderer {
  private static final int ARG_VALUE_CHARS = 40;
  private static final int ARGS_CHARS = 120;
  private static final int EXCERPT_CHARS = 80;

  private TraceRenderer() {}

  static String render(String sessionId, List<AuditRecord> records) {
    Instant start = records.getFirst().time();
    Instant end = records.getLast().time();
    Set<String> agents = new LinkedHashSet<>();
    records.forEach(r -> agents.add(actor(r)));
    StringBuilder out = new StringBuilder();
    out.append("session ").append(safe(sessionId)).append(": ").append(records.size())
        .append(records.size() == 1 ? " entry" : " entries").append(", ").append(start).append(" .. ").append(end)
        .append(" (").append(seconds(Duration.between(start, end))).append(")\n");
    out.append("agents: ").append(String.join(", ", agents)).append("\n\n");
    for (AuditRecord r : records) {
      String offset = "+" + seconds(Duration.between(start, r.time()));
      out.append(String.format("%10s  #%-5d %s  %s\n", offset, r.seq(), actor(r), call(r)));
      out.append(" ".repeat(19)).append(verdict(r)).append("  ").append(outcome(r));
      if (!r.requestId().isEmpty()) {
        out.append("  [request ").append(safe(r.requestId())).append(']');
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String actor(AuditRecord r) {
    List<String> chain = new ArrayList<>(r.actorChain());
    chain.add(r.agent().isEmpty() ? "(unauthenticated)" : r.agent());
    return safe(String.join(" > ", chain));
  }

  private static String call(AuditRecord r) {
    StringBuilder call = new StringBuilder(safe(r.method()));
    if (!r.tool().isEmpty()) {
      call.append(' ').append(safe(r.tool()));
    }
    if (r.arguments().isObject() && !r.arguments().isEmpty()) {
      call.append(' ').append(arguments(r.arguments()));
    }
    return call.toString();
  }

  private static String arguments(JsonNode args) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : args.properties()) {
      parts.add(field.getKey() + ": " + Encoder.cut(Canonical.json(field.getValue()), ARG_VALUE_CHARS));
    }
    return safe(Encoder.cut("{" + String.join(", ", parts) + "}", ARGS_CHARS));
  }

  private static String verdict(AuditRecord r) {
    String name = r.decision() == Verdict.ALLOW ? "allow" : r.decision().wire().toUpperCase(Locale.ROOT);
    String text = name + (r.rule().isEmpty() ? "" : " (" + r.rule() + ")");
    if (r.decision() != Verdict.ALLOW && !r.reason().isEmpty()) {
      text += ": " + Encoder.cut(r.reason(), EXCERPT_CHARS);
    }
    return safe(text);
  }

  private static String outcome(AuditRecord r) {
    StringBuilder out = new StringBuilder(r.outcome().wire().replace('_', ' '));
    if (r.outcome() != Outcome.NOT_FORWARDED) {
      out.append("  ").append(millis(r.upstreamLatency()));
    }
    if (!r.resultExcerpt().isEmpty()) {
      out.append("  \"").append(safe(Encoder.cut(r.resultExcerpt(), EXCERPT_CHARS))).append('"');
    }
    if (r.filtered().rowsRemoved() > 0 || !r.filtered().fieldsRedacted().isEmpty()) {
      out.append("  filtered: ").append(r.filtered().rowsRemoved()).append(" rows");
      if (!r.filtered().fieldsRedacted().isEmpty()) {
        out.append(", redacted ").append(safe(String.join(", ", r.filtered().fieldsRedacted())));
      }
    }
    if (!r.extra().isEmpty()) {
      out.append("  ").append(safe(Encoder.cut(Canonical.json(r.extra()), EXCERPT_CHARS)));
    }
    return out.toString();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
  }

  private static String millis(Duration d) {
    return d.toNanos() < 10_000_000
        ? String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6)
        : (d.toNanos() / 1_000_000) + " ms";
  }

  /** {@code s} with control, C1 and bidirectional-override characters written as escapes. */
  static String safe(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069);
      if (unsafe && out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (out != null) {
        if (unsafe) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
