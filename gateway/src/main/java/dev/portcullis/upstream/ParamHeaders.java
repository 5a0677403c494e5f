package dev.portcullis.upstream;

import dev.portcullis.mcp.HeaderValues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The 2026 {@code x-mcp-header} extension for HTTP upstreams: learns from {@code tools/list} which arguments a tool
 * wants mirrored into {@code Mcp-Param-*} headers, removes tools whose annotations break the spec's constraints (as
 * a conforming client must), and produces the headers for each {@code tools/call}.
 */
public final class ParamHeaders {
  private static final String KEY = "x-mcp-header";
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
      "dependentSchemas");
  private static final Set<String> SCHEMA_VALUES = Set.of("items", "additionalProperties", "not", "if", "then", "else",
      "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems");
  private static final Set<String> SCHEMA_ARRAYS = Set.of("allOf", "anyOf", "oneOf", "prefixItems", "items");
  private static final long MAX_SAFE = (1L << 53) - 1;

  /** One mirrored argument: the header's name part and the chain of property names leading to the value. */
  record Param(String header, List<String> path) {}

  private final String upstream;
  private final Map<String, List<Param>> byTool = new ConcurrentHashMap<>();

  ParamHeaders(String upstream) {
    this.upstream = upstream;
  }

  /** Reads a {@code tools/list} result, dropping invalid tools from it in place. */
  void learn(ObjectNode result) {
    if (!(result.get("tools") instanceof ArrayNode tools)) {
      return;
    }
    for (Iterator<JsonNode> it = tools.elements(); it.hasNext(); ) {
      JsonNode tool = it.next();
      String name = tool.path("name").asText();
      List<Param> params = new ArrayList<>();
      String problem = scan(tool.path("inputSchema"), true, List.of(), params);
      if (problem == null) {
        problem = duplicates(params);
      }
      if (problem != null) {
        McpUpstream.LOG.warn("upstream {} tool '{}' left out: its x-mcp-header annotation {}", upstream, name,
            problem);
        it.remove();
        byTool.remove(name);
      } else if (params.isEmpty()) {
        byTool.remove(name);
      } else {
        byTool.put(name, List.copyOf(params));
      }
    }
  }

  /** Adds {@code Mcp-Param-*} headers for a call of {@code tool} with {@code arguments}; absent values are omitted. */
  void apply(String tool, JsonNode arguments, BiConsumer<String, String> header) {
    List<Param> params = tool == null ? null : byTool.get(tool);
    if (params == null) {
      return;
    }
    for (Param param : params) {
      String text = valueText(arguments, param);
      if (text != null) {
        header.accept("Mcp-Param-" + param.header(), HeaderValues.encode(text));
      }
    }
  }

  /**
   * The {@code Mcp-Param-*} headers a conforming client sends for a call with these arguments: lower-case header name
   * to the plain (decoded) value. Empty when the schema has no valid {@code x-mcp-header} annotations.
   */
  public static Map<String, String> expected(JsonNode inputSchema, JsonNode arguments) {
    List<Param> params = new ArrayList<>();
    if (scan(inputSchema, true, List.of(), params) != null || duplicates(params) != null || params.isEmpty()) {
      return Map.of();
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (Param param : params) {
      headers.put(("Mcp-Param-" + param.header()).toLowerCase(java.util.Locale.ROOT), valueText(arguments, param));
    }
    return headers;
  }

  /** The header text of the argument a parameter mirrors: strings as-is, integers in decimal, booleans; else null. */
  private static String valueText(JsonNode arguments, Param param) {
    JsonNode value = arguments;
    for (String step : param.path()) {
      value = value == null ? null : value.get(step);
    }
    return value == null ? null : switch (value.getNodeType()) {
      case STRING -> value.asText();
      case BOOLEAN -> value.asBoolean() ? "true" : "false";
      case NUMBER -> value.canConvertToExactIntegral() ? value.bigIntegerValue().toString() : null;
      default -> null;
    };
  }

  /** Returns why the schema's annotations are invalid, or null; collects the valid ones. */
  private static String scan(JsonNode schema, boolean reachable, List<String> path, List<Param> out) {
    if (!(schema instanceof ObjectNode object)) {
      return null;
    }
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      String problem = null;
      if (keyword.equals(KEY)) {
        problem = annotation(object, value, reachable, path, out);
      } else if (SCHEMA_MAPS.contains(keyword) && value.isObject()) {
        for (Map.Entry<String, JsonNode> sub : value.properties()) {
          boolean viaProperties = keyword.equals("properties") && reachable;
          List<String> next = new ArrayList<>(path);
          next.add(sub.getKey());
          problem = problem != null ? problem : scan(sub.getValue(), viaProperties, next, out);
        }
      } else if (SCHEMA_ARRAYS.contains(keyword) && value.isArray()) {
        for (JsonNode sub : value) {
          problem = problem != null ? problem : scan(sub, false, path, out);
        }
      } else if (SCHEMA_VALUES.contains(keyword)) {
        problem = scan(value, false, path, out);
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String annotation(ObjectNode schema, JsonNode value, boolean reachable, List<String> path,
      List<Param> out) {
    if (!reachable || path.isEmpty()) {
      return "at " + (path.isEmpty() ? "the schema root" : String.join(".", path))
          + " is not on a chain of 'properties' from the root";
    }
    String name = value.isTextual() ? value.asText() : "";
    if (name.isEmpty() || !name.chars().allMatch(ParamHeaders::tchar)) {
      return "'" + value + "' on " + String.join(".", path) + " is not an HTTP field-name token";
    }
    String type = schema.path("type").asText("");
    if (!(type.equals("string") || type.equals("integer") || type.equals("boolean"))) {
      return "'" + name + "' is on " + String.join(".", path) + " of type '" + type
          + "'; only string, integer and boolean parameters may be mirrored";
    }
    if (type.equals("integer") && (schema.path("maximum").asDouble(0) > MAX_SAFE
        || schema.path("minimum").asDouble(0) < -MAX_SAFE)) {
      return "'" + name + "' allows integers outside the safe range";
    }
    out.add(new Param(name, List.copyOf(path)));
    return null;
  }

  private static String duplicates(List<Param> params) {
    Set<String> seen = new HashSet<>();
    for (Param p : params) {
      if (!seen.add(p.header().toLowerCase(Locale.ROOT))) {
        return "'" + p.header() + "' is used twice (header names are case-insensitive)";
      }
    }
    return null;
  }

  private static boolean tchar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
