package dev.portcullis.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.Limits;
import dev.portcullis.model.Tool;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Validates a call's arguments against the tool's {@code inputSchema}, in three steps, cheapest first: structural
 * limits (depth, string length, array items, total size), then undeclared parameters (refused even when the upstream
 * schema allows additional properties, unless the policy opts the tool out), then the schema itself. Schemas are
 * compiled once per tool definition hash.
 */
public final class ArgumentValidator {
  private static final int CACHE_LIMIT = 10_000;
  private static final ConcurrentHashMap<String, Compiled> CACHE = new ConcurrentHashMap<>();

  private final Limits limits;
  private final Predicate<String> allowsUndeclared;

  /**
   * @param limits structural limits from the {@code server.limits} section
   * @param allowsUndeclared tool names for which undeclared parameters are passed to the schema unchanged (the policy's
   *     {@code tools: {name: {allow_undeclared_arguments: true}}})
   */
  public ArgumentValidator(Limits limits, Predicate<String> allowsUndeclared) {
    this.limits = limits;
    this.allowsUndeclared = allowsUndeclared;
  }

  /** The first problem with {@code arguments} for {@code tool}, or empty when the call may go on to the policy. */
  public Optional<Violation> validate(Tool tool, JsonNode arguments) {
    if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
      arguments = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!arguments.isObject()) {
      return Optional.of(new Violation("", "type", Abbrev.of(arguments),
          "the arguments of " + tool.name() + " must be an object of named parameters, found " + arguments.getNodeType()
              .name().toLowerCase(Locale.ROOT)));
    }
    Optional<Violation> limit = StructureLimits.check(arguments, limits);
    if (limit.isPresent()) {
      return limit;
    }
    Compiled compiled = compiled(tool);
    if (compiled.broken != null) {
      return Optional.of(new Violation("", "inputSchema", "(the tool's schema)",
          "tool " + tool.name() + " cannot be called: its inputSchema is invalid (" + compiled.broken
              + "); ask the operator to fix the upstream"));
    }
    if (!allowsUndeclared.test(tool.name())) {
      for (Iterator<String> it = arguments.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!compiled.declares(name)) {
          return Optional.of(new Violation(name, "additionalProperties", Abbrev.of(arguments.get(name)),
              "parameter '" + name + "' is not declared by " + tool.name() + "; "
                  + (compiled.declared.isEmpty() ? "the tool takes no parameters"
                      : "declared parameters: " + String.join(", ", compiled.declared))
                  + ". Remove it and call again."));
        }
      }
    }
    return compiled.check.check(arguments).map(v -> new Violation(v.path(), v.keyword(), v.value(),
        (v.path().isEmpty() ? "the arguments of " + tool.name() + " violate" : "argument '" + v.path() + "' ("
            + v.value() + ") of " + tool.name() + " violates") + " the tool's input schema: " + v.message()
            + "; fix the value and call again"));
  }

  private static Compiled compiled(Tool tool) {
    String key = tool.definitionHash() == null || tool.definitionHash().isEmpty()
        ? tool.inputSchema().toString() : tool.definitionHash();
    Compiled c = CACHE.get(key);
    if (c == null) {
      if (CACHE.size() > CACHE_LIMIT) {
        CACHE.clear();
      }
      c = CACHE.computeIfAbsent(key, k -> Compiled.of(tool.inputSchema()));
    }
    return c;
  }

  /** A tool's schema, compiled, with the parameter names it declares at the top level. */
  private record Compiled(Set<String> declared, List<Pattern> patterns, SchemaCheck check, String broken) {
    static Compiled of(JsonNode schema) {
      Set<String> declared = new LinkedHashSet<>();
      List<Pattern> patterns = new ArrayList<>();
      try {
        collect(schema, schema, declared, patterns, 0);
        return new Compiled(declared, patterns, SchemaCheck.compile(schema), null);
      } catch (IllegalArgumentException e) {
        return new Compiled(declared, patterns, null, e.getMessage());
      }
    }

    boolean declares(String name) {
      if (declared.contains(name)) {
        return true;
      }
      for (Pattern p : patterns) {
        if (p.matcher(name).find()) {
          return true;
        }
      }
      return false;
    }

    /** Top-level properties, following a local root {@code $ref} and {@code allOf}/{@code anyOf}/{@code oneOf}. */
    private static void collect(JsonNode root, JsonNode s, Set<String> declared, List<Pattern> patterns, int depth) {
      if (s == null || !s.isObject() || depth > 8) {
        return;
      }
      s.path("properties").fieldNames().forEachRemaining(declared::add);
      s.path("patternProperties").fieldNames().forEachRemaining(p -> patterns.add(Pattern.compile(p)));
      for (String k : List.of("allOf", "anyOf", "oneOf")) {
        s.path(k).forEach(sub -> collect(root, sub, declared, patterns, depth + 1));
      }
      String ref = s.path("$ref").asText("");
      if (ref.startsWith("#/")) {
        collect(root, root.at(ref.substring(1)), declared, patterns, depth + 1);
      }
    }
  }
}
