package dev.portcullis.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Row- and field-level filtering of a tool result, applied before the agent sees it. */
public interface ResultFilter {
  /**
   * Filters {@code result} (a {@code tools/call} result: {@code structuredContent} and JSON text content) in place
   * and returns what was removed, for the audit entry.
   */
  FilterReport apply(JsonNode result, Call call);

  /** What a filter removed: rows dropped and field paths redacted. */
  record FilterReport(int rowsRemoved, java.util.List<String> fieldsRedacted) {
    public static final FilterReport NONE = new FilterReport(0, java.util.List.of());
  }
}
