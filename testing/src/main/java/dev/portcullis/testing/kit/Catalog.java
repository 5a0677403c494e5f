package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tools, prompts, resources and templates a fixture serves, in registration order, with their handlers. */
final class Catalog {
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Pattern TOOL_NAME = Pattern.compile("^[A-Za-z0-9_./-]{1,64}$");

  record ToolEntry(ObjectNode definition, Handler handler, Schema schema, Map<String, String> headerParams) {
    String name() {
      return definition.path("name").asText();
    }

    /** Validation errors of the arguments against the input schema; empty when valid or not validated. */
    List<String> validate(ObjectNode arguments) {
      if (schema == null) {
        return List.of();
      }
      return schema.validate(Json.write(arguments), InputFormat.JSON).stream().map(error -> {
        String location = error.getInstanceLocation().toString();
        String where = location.isEmpty() || location.equals("$") ? "arguments" : "arguments" + location.substring(
            location.startsWith("$") ? 1 : 0);
        return where + ": " + error.getMessage();
      }).toList();
    }
  }

  record PromptEntry(ObjectNode definition, Handler handler) {}

  record ResourceEntry(ObjectNode definition, Handler handler) {}

  record TemplateEntry(ObjectNode definition, Pattern pattern, List<String> variables, Handler handler) {
    Optional<ObjectNode> match(String uri) {
      Matcher matcher = pattern.matcher(uri);
      if (!matcher.matches()) {
        return Optional.empty();
      }
      ObjectNode values = Json.object();
      for (int i = 0; i < variables.size(); i++) {
        values.put(variables.get(i), matcher.group(i + 1));
      }
      return Optional.of(values);
    }
  }

  final Map<String, ToolEntry> tools = new LinkedHashMap<>();
  final Map<String, PromptEntry> prompts = new LinkedHashMap<>();
  final Map<String, ResourceEntry> resources = new LinkedHashMap<>();
  final List<TemplateEntry> templates = new ArrayList<>();
  Handler completion;

  void addTool(ObjectNode definition, Handler handler, boolean validateArguments) {
    String name = requireText(definition, "name", "tool");
    if (!TOOL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name '" + name + "' must be 1-64 characters of [A-Za-z0-9_./-]");
    }
    if (!definition.path("inputSchema").isObject()
        || !"object".equals(definition.path("inputSchema").path("type").asText())) {
      throw new IllegalArgumentException("tool '" + name + "' needs an inputSchema object with \"type\": \"object\"");
    }
    if (!definition.hasNonNull("description")) {
      throw new IllegalArgumentException("tool '" + name + "' needs a description");
    }
    requireUnique(tools, name, "tool");
    Schema schema = validateArguments ? SCHEMAS.getSchema(Json.write(definition.get("inputSchema")), InputFormat.JSON)
        : null;
    tools.put(name, new ToolEntry(definition, handler, schema, headerParams(name, definition.get("inputSchema"))));
  }

  void addPrompt(ObjectNode definition, Handler handler) {
    String name = requireText(definition, "name", "prompt");
    requireUnique(prompts, name, "prompt");
    prompts.put(name, new PromptEntry(definition, handler));
  }

  void addResource(ObjectNode definition, Handler handler) {
    String uri = requireText(definition, "uri", "resource");
    requireText(definition, "name", "resource " + uri);
    requireUnique(resources, uri, "resource");
    resources.put(uri, new ResourceEntry(definition, handler));
  }

  void addTemplate(ObjectNode definition, Handler handler) {
    String template = requireText(definition, "uriTemplate", "resource template");
    requireText(definition, "name", "resource template " + template);
    List<String> variables = new ArrayList<>();
    StringBuilder regex = new StringBuilder();
    Matcher matcher = Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(template);
    int last = 0;
    while (matcher.find()) {
      regex.append(Pattern.quote(template.substring(last, matcher.start()))).append("([^/?#]+)");
      variables.add(matcher.group(1));
      last = matcher.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    templates.add(new TemplateEntry(definition, Pattern.compile(regex.toString()), List.copyOf(variables), handler));
  }

  /** Wraps every tool handler (e.g. with a per-call token check). */
  void wrapTools(java.util.function.BiFunction<String, Handler, Handler> wrapper) {
    tools.replaceAll((name, tool) -> new ToolEntry(tool.definition(), wrapper.apply(name, tool.handler()),
        tool.schema(), tool.headerParams()));
  }

  ArrayNode toolDefinitions() {
    ArrayNode list = Json.array();
    tools.values().forEach(t -> list.add(t.definition()));
    return list;
  }

  ArrayNode promptDefinitions() {
    ArrayNode list = Json.array();
    prompts.values().forEach(p -> list.add(p.definition()));
    return list;
  }

  ArrayNode resourceDefinitions() {
    ArrayNode list = Json.array();
    resources.values().forEach(r -> list.add(r.definition()));
    return list;
  }

  ArrayNode templateDefinitions() {
    ArrayNode list = Json.array();
    templates.forEach(t -> list.add(t.definition()));
    return list;
  }

  /** Top-level {@code x-mcp-header} string/integer/boolean properties: property name to header suffix. */
  private static Map<String, String> headerParams(String tool, JsonNode schema) {
    Map<String, String> params = new LinkedHashMap<>();
    schema.path("properties").properties().forEach(property -> {
      JsonNode header = property.getValue().get("x-mcp-header");
      if (header == null) {
        return;
      }
      String suffix = header.asText();
      if (!suffix.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("tool '" + tool + "': x-mcp-header '" + suffix
            + "' of property '" + property.getKey() + "' is not an HTTP token");
      }
      boolean clash = params.values().stream().anyMatch(s -> s.equalsIgnoreCase(suffix));
      if (clash) {
        throw new IllegalArgumentException("tool '" + tool + "': x-mcp-header '" + suffix + "' is used twice");
      }
      params.put(property.getKey(), suffix.toLowerCase(Locale.ROOT));
    });
    return Map.copyOf(params);
  }

  private static String requireText(ObjectNode definition, String field, String what) {
    JsonNode value = definition.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(what + " definition needs a non-empty string '" + field + "': "
          + Json.abbreviate(Json.write(definition)));
    }
    return value.asText();
  }

  private static void requireUnique(Map<String, ?> map, String key, String what) {
    if (map.containsKey(key)) {
      throw new IllegalArgumentException(what + " '" + key + "' is registered twice");
    }
  }
}
