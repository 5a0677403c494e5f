package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cel.runtime.CelEvaluationException;
import dev.portcullis.config.Fields;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.json.Json;
import dev.portcullis.model.Call;
import dev.portcullis.model.ResultFilter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A grant's {@code filter:}: drops result rows the agent may not see ({@code rows:}, CEL over {@code item}) and
 * redacts or masks fields by name at any depth. Works on {@code structuredContent} and on text content that holds
 * JSON. A row whose condition fails to evaluate is dropped (fail closed).
 *
 * <p>Rows are: the elements of a top-level array; or, in a top-level object, the elements of fields that are arrays of
 * objects ({@code {customers: [...]}}) and fields that are objects ({@code {customer: {...}}}, removed when they
 * fail); or, when the object has neither, the top-level object itself (replaced by {@code {}} when it fails).
 */
final class RowFilter implements ResultFilter {
  static final String REDACTED = "[redacted]";
  private static final int MAX_REPORTED_PATHS = 100;

  /** Mask all but the first / last characters of a field. */
  record Mask(int keepFirst, int keepLast) {
    String apply(String value) {
      int n = value.length();
      if (keepFirst + keepLast >= n) {
        return "*".repeat(n);
      }
      return value.substring(0, keepFirst) + "*".repeat(n - keepFirst - keepLast) + value.substring(n - keepLast);
    }
  }

  final String grantId;
  final Condition rows;
  final Set<String> redact;
  final Map<String, Mask> mask;

  private RowFilter(String grantId, Condition rows, Set<String> redact, Map<String, Mask> mask) {
    this.grantId = grantId;
    this.rows = rows;
    this.redact = Set.copyOf(redact);
    this.mask = Map.copyOf(mask);
  }

  static Optional<RowFilter> compile(Node node, String grantId, String context, Problems problems) {
    Fields f = Fields.of(node, "filter of " + context, problems, Set.of("rows", "redact", "mask"));
    Condition rows = f.string("rows").flatMap(src -> Condition.compile(src, f.get("rows").get().mark(),
        Condition.Scope.ROW, "filter.rows of " + context, problems)).orElse(null);
    Map<String, Mask> masks = new LinkedHashMap<>();
    f.entries("mask").forEach((field, e) -> {
      Fields m = Fields.of(e.value(), "mask '" + field + "' of " + context, problems, Set.of("keep_first", "keep_last"));
      masks.put(field, new Mask(m.integer("keep_first", 0, 1000).orElse(0L).intValue(),
          m.integer("keep_last", 0, 1000).orElse(0L).intValue()));
    });
    List<String> redact = f.strings("redact");
    if (rows == null && redact.isEmpty() && masks.isEmpty() && !f.has("rows")) {
      problems.error(f.mark(), "filter of " + context + " filters nothing", "set rows, redact or mask");
      return Optional.empty();
    }
    return Optional.of(new RowFilter(grantId, rows, Set.copyOf(redact), masks));
  }

  @Override
  public FilterReport apply(JsonNode result, Call call) {
    if (!(result instanceof ObjectNode obj)) {
      return FilterReport.NONE;
    }
    Report report = new Report();
    JsonNode structured = obj.get("structuredContent");
    if (structured != null && structured.isContainerNode()) {
      obj.set("structuredContent", filter(structured, call, report, ""));
    }
    JsonNode content = obj.get("content");
    if (content instanceof ArrayNode items) {
      for (JsonNode item : items) {
        if (item instanceof ObjectNode o && "text".equals(o.path("type").asText()) && o.get("text") != null) {
          String text = o.get("text").asText();
          String trimmed = text.strip();
          if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            continue;
          }
          try {
            JsonNode parsed = Json.MAPPER.readTree(text);
            Report textReport = structured == null ? report : new Report();
            o.put("text", Json.write(filter(parsed, call, textReport, "")));
          } catch (Exception e) {
            // not JSON after all: leave the text as the upstream sent it
          }
        }
      }
    }
    return report.toFilterReport();
  }

  private JsonNode filter(JsonNode value, Call call, Report report, String path) {
    JsonNode out = value;
    if (rows != null) {
      out = filterRows(value, call, report);
    }
    if (!redact.isEmpty() || !mask.isEmpty()) {
      scrub(out, path, report);
    }
    return out;
  }

  private JsonNode filterRows(JsonNode value, Call call, Report report) {
    if (value instanceof ArrayNode array) {
      return keep(array, call, report);
    }
    if (value instanceof ObjectNode obj) {
      boolean container = false;
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue() instanceof ArrayNode a && !a.isEmpty() && a.get(0).isObject()) {
          container = true;
          e.setValue(keep(a, call, report));
        } else if (e.getValue() instanceof ObjectNode record) {
          container = true;
          if (!visible(record, call)) {
            it.remove();
            report.rows++;
          }
        }
      }
      if (!container && !visible(obj, call)) {
        report.rows++;
        return Json.object();
      }
    }
    return value;
  }

  private ArrayNode keep(ArrayNode array, Call call, Report report) {
    ArrayNode kept = array.arrayNode();
    for (JsonNode item : array) {
      if (visible(item, call)) {
        kept.add(item);
      } else {
        report.rows++;
      }
    }
    return kept;
  }

  private boolean visible(JsonNode item, Call call) {
    try {
      return rows.test(name -> switch (name) {
        case "item" -> Optional.of(CelValues.of(item));
        case "args" -> Optional.of(CelValues.of(call.arguments()));
        case "agent" -> Optional.of(Activation.agentValue(call.agent()));
        case "now" -> Optional.of(Activation.now(call));
        default -> Optional.empty();
      });
    } catch (CelEvaluationException | RuntimeException e) {
      return false;
    }
  }

  private void scrub(JsonNode node, String path, Report report) {
    if (node instanceof ObjectNode obj) {
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String here = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (redact.contains(e.getKey())) {
          e.setValue(TextNode.valueOf(REDACTED));
          report.field(here);
        } else if (mask.containsKey(e.getKey()) && e.getValue().isValueNode() && !e.getValue().isNull()) {
          e.setValue(TextNode.valueOf(mask.get(e.getKey()).apply(e.getValue().asText())));
          report.field(here);
        } else {
          scrub(e.getValue(), here, report);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        scrub(array.get(i), path + "[" + i + "]", report);
      }
    }
  }

  /** Mutable tally while one result is filtered. */
  private static final class Report {
    int rows;
    final List<String> fields = new ArrayList<>();
    int moreFields;

    void field(String path) {
      if (fields.size() < MAX_REPORTED_PATHS) {
        fields.add(path);
      } else {
        moreFields++;
      }
    }

    FilterReport toFilterReport() {
      if (rows == 0 && fields.isEmpty()) {
        return FilterReport.NONE;
      }
      List<String> all = new ArrayList<>(fields);
      if (moreFields > 0) {
        all.add("... and " + moreFields + " more");
      }
      return new FilterReport(rows, List.copyOf(all));
    }
  }

  String describe() {
    List<String> parts = new ArrayList<>();
    if (rows != null) {
      parts.add("only rows where " + rows.source);
    }
    if (!redact.isEmpty()) {
      parts.add("fields " + String.join(", ", redact.stream().sorted().toList()) + " redacted");
    }
    if (!mask.isEmpty()) {
      parts.add("fields " + String.join(", ", mask.keySet().stream().sorted().toList()) + " masked");
    }
    return String.join("; ", parts);
  }
}
