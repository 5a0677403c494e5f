package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.schema.SchemaCheck;
import dev.portcullis.schema.Violation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One argument's tightening, a JSON Schema. The common keywords are checked natively (no tree copy, and messages that
 * name the limit in plain words); any other keyword hands the whole argument schema to the JSON Schema library.
 * Numeric keywords imply the value is a number and string keywords that it is a string, so {@code "150"} cannot slip
 * past {@code maximum: 100}.
 */
abstract sealed class ArgConstraint {
  /** Why a value failed, in parts the caller assembles into an agent-facing sentence. */
  record Failure(String argument, String keyword, String value, String problem, String allowed) {}

  private static final Set<String> NATIVE = Set.of("type", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
      "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems", "description",
      "title", "$comment", "examples", "default");

  final String argument;

  ArgConstraint(String argument) {
    this.argument = argument;
  }

  /** The failure for {@code value} ({@code null} when the argument is absent), or null when it passes. */
  abstract Failure check(JsonNode value);

  /** The constraint in plain words, for permission summaries ("amount ≤ 100"). */
  abstract String describe();

  static Optional<ArgConstraint> compile(String argument, Node schema, String context, Problems problems) {
    if (!(schema instanceof Node.MapNode map)) {
      problems.error(schema.mark(), context + " must be a JSON Schema mapping such as {maximum: 100}, found "
          + schema.describe(), "");
      return Optional.empty();
    }
    boolean allNative = map.entries().stream().allMatch(e -> NATIVE.contains(e.key()));
    if (!allNative) {
      try {
        return Optional.of(new Delegated(argument, SchemaCheck.compile(schema.toJson()), schema.toJson().toString()));
      } catch (IllegalArgumentException e) {
        problems.error(schema.mark(), context + " is not a valid JSON Schema: " + e.getMessage(), "");
        return Optional.empty();
      }
    }
    return Native.compile(argument, map, context, problems);
  }

  static String text(JsonNode v) {
    if (v == null) {
      return "(missing)";
    }
    String s = v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** Natively checked keywords. */
  static final class Native extends ArgConstraint {
    private String type;
    private List<JsonNode> enumValues;
    private JsonNode constValue;
    private BigDecimal minimum;
    private BigDecimal maximum;
    private BigDecimal exclusiveMinimum;
    private BigDecimal exclusiveMaximum;
    private BigDecimal multipleOf;
    private Integer minLength;
    private Integer maxLength;
    private Pattern pattern;
    private Integer minItems;
    private Integer maxItems;

    private Native(String argument) {
      super(argument);
    }

    static Optional<ArgConstraint> compile(String argument, Node.MapNode map, String context, Problems problems) {
      Native c = new Native(argument);
      int errors = problems.errorCount();
      for (Node.Entry e : map.entries()) {
        Node v = e.value();
        String where = e.key() + " in " + context;
        switch (e.key()) {
          case "type" -> {
            if (v instanceof Node.ScalarNode s && s.value() instanceof String t
                && Set.of("string", "number", "integer", "boolean", "array", "object", "null").contains(t)) {
              c.type = t;
            } else {
              problems.error(v.mark(), where + " must be one of string, number, integer, boolean, array, object, null",
                  "list several types with anyOf");
            }
          }
          case "enum" -> {
            if (v instanceof Node.SeqNode seq && !seq.items().isEmpty()) {
              c.enumValues = seq.items().stream().map(Node::toJson).toList();
            } else {
              problems.error(v.mark(), where + " must be a non-empty list of allowed values", "");
            }
          }
          case "const" -> c.constValue = v.toJson();
          case "minimum" -> c.minimum = number(v, where, problems);
          case "maximum" -> c.maximum = number(v, where, problems);
          case "exclusiveMinimum" -> c.exclusiveMinimum = number(v, where, problems);
          case "exclusiveMaximum" -> c.exclusiveMaximum = number(v, where, problems);
          case "multipleOf" -> c.multipleOf = number(v, where, problems);
          case "minLength" -> c.minLength = count(v, where, problems);
          case "maxLength" -> c.maxLength = count(v, where, problems);
          case "minItems" -> c.minItems = count(v, where, problems);
          case "maxItems" -> c.maxItems = count(v, where, problems);
          case "pattern" -> {
            if (v instanceof Node.ScalarNode s && s.value() instanceof String p) {
              try {
                c.pattern = Pattern.compile(p);
              } catch (PatternSyntaxException ex) {
                problems.error(v.mark(), where + " is not a valid regular expression: " + ex.getDescription(), "");
              }
            } else {
              problems.error(v.mark(), where + " must be a regular expression text", "");
            }
          }
          default -> { } // annotations (description, title, ...)
        }
      }
      if (c.multipleOf != null && c.multipleOf.signum() <= 0) {
        problems.error(map.mark(), "multipleOf in " + context + " must be greater than 0", "");
      }
      return problems.errorCount() == errors ? Optional.of(c) : Optional.empty();
    }

    private static BigDecimal number(Node v, String where, Problems problems) {
      if (v instanceof Node.ScalarNode s && s.value() instanceof Number n && !(n instanceof Double d && d.isNaN())) {
        return new BigDecimal(s.toJson().asText());
      }
      problems.error(v.mark(), where + " must be a number, found " + v.describe(), "");
      return null;
    }

    private static Integer count(Node v, String where, Problems problems) {
      if (v instanceof Node.ScalarNode s && s.value() instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
        return l.intValue();
      }
      problems.error(v.mark(), where + " must be a whole number >= 0, found " + v.describe(), "");
      return null;
    }

    private boolean numeric() {
      return minimum != null || maximum != null || exclusiveMinimum != null || exclusiveMaximum != null
          || multipleOf != null;
    }

    private boolean stringy() {
      return minLength != null || maxLength != null || pattern != null;
    }

    @Override
    Failure check(JsonNode v) {
      if (v == null || v.isMissingNode()) {
        return fail("required", null, "is missing", argument + " must be given");
      }
      if (type != null && !hasType(v, type)) {
        return fail("type", v, "is not of type " + type, argument + " must be of type " + type);
      }
      if (constValue != null && !equal(constValue, v)) {
        return fail("const", v, "is not " + text(constValue), argument + " must be " + text(constValue));
      }
      if (enumValues != null && enumValues.stream().noneMatch(e -> equal(e, v))) {
        return fail("enum", v, "is not one of the allowed values", "allowed values of " + argument + ": "
            + String.join(", ", enumValues.stream().map(ArgConstraint::text).toList()));
      }
      if (numeric()) {
        if (!v.isNumber()) {
          return fail("type", v, "is not a number", argument + " must be a number");
        }
        BigDecimal n = v.decimalValue();
        if (maximum != null && n.compareTo(maximum) > 0) {
          return fail("maximum", v, "exceeds maximum " + plain(maximum), argument + " up to " + plain(maximum)
              + " is allowed");
        }
        if (exclusiveMaximum != null && n.compareTo(exclusiveMaximum) >= 0) {
          return fail("exclusiveMaximum", v, "is not below " + plain(exclusiveMaximum), argument + " below "
              + plain(exclusiveMaximum) + " is allowed");
        }
        if (minimum != null && n.compareTo(minimum) < 0) {
          return fail("minimum", v, "is below minimum " + plain(minimum), argument + " from " + plain(minimum)
              + " is allowed");
        }
        if (exclusiveMinimum != null && n.compareTo(exclusiveMinimum) <= 0) {
          return fail("exclusiveMinimum", v, "is not above " + plain(exclusiveMinimum), argument + " above "
              + plain(exclusiveMinimum) + " is allowed");
        }
        if (multipleOf != null && n.remainder(multipleOf).signum() != 0) {
          return fail("multipleOf", v, "is not a multiple of " + plain(multipleOf), argument + " must be a multiple of "
              + plain(multipleOf));
        }
      }
      if (stringy()) {
        if (!v.isTextual()) {
          return fail("type", v, "is not text", argument + " must be text");
        }
        String s = v.textValue();
        int length = s.codePointCount(0, s.length());
        if (maxLength != null && length > maxLength) {
          return fail("maxLength", v, "is " + length + " characters long, more than " + maxLength,
              argument + " of at most " + maxLength + " characters is allowed");
        }
        if (minLength != null && length < minLength) {
          return fail("minLength", v, "is " + length + " characters long, fewer than " + minLength,
              argument + " of at least " + minLength + " characters is allowed");
        }
        if (pattern != null && !pattern.matcher(s).find()) {
          return fail("pattern", v, "does not match " + pattern.pattern(), argument + " must match "
              + pattern.pattern());
        }
      }
      if (minItems != null || maxItems != null) {
        if (!v.isArray()) {
          return fail("type", v, "is not a list", argument + " must be a list");
        }
        if (maxItems != null && v.size() > maxItems) {
          return fail("maxItems", v, "has " + v.size() + " items, more than " + maxItems,
              "at most " + maxItems + " items of " + argument + " are allowed");
        }
        if (minItems != null && v.size() < minItems) {
          return fail("minItems", v, "has " + v.size() + " items, fewer than " + minItems,
              "at least " + minItems + " items of " + argument + " are needed");
        }
      }
      return null;
    }

    private Failure fail(String keyword, JsonNode v, String problem, String allowed) {
      return new Failure(argument, keyword, text(v), problem, allowed);
    }

    private static boolean hasType(JsonNode v, String type) {
      return switch (type) {
        case "string" -> v.isTextual();
        case "number" -> v.isNumber();
        case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
        case "boolean" -> v.isBoolean();
        case "array" -> v.isArray();
        case "object" -> v.isObject();
        default -> v.isNull();
      };
    }

    private static boolean equal(JsonNode a, JsonNode b) {
      if (a.isNumber() && b.isNumber()) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
      }
      return a.equals(b);
    }

    private static String plain(BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    }

    @Override
    String describe() {
      List<String> parts = new ArrayList<>();
      if (type != null) {
        parts.add(argument + " is " + type);
      }
      if (constValue != null) {
        parts.add(argument + " = " + text(constValue));
      }
      if (enumValues != null) {
        parts.add(argument + " one of " + String.join(", ", enumValues.stream().map(ArgConstraint::text).toList()));
      }
      if (minimum != null) {
        parts.add(argument + " ≥ " + plain(minimum));
      }
      if (exclusiveMinimum != null) {
        parts.add(argument + " > " + plain(exclusiveMinimum));
      }
      if (maximum != null) {
        parts.add(argument + " ≤ " + plain(maximum));
      }
      if (exclusiveMaximum != null) {
        parts.add(argument + " < " + plain(exclusiveMaximum));
      }
      if (multipleOf != null) {
        parts.add(argument + " a multiple of " + plain(multipleOf));
      }
      if (pattern != null) {
        parts.add(argument + " matching " + pattern.pattern());
      }
      if (minLength != null) {
        parts.add(argument + " at least " + minLength + " characters");
      }
      if (maxLength != null) {
        parts.add(argument + " at most " + maxLength + " characters");
      }
      if (minItems != null) {
        parts.add(argument + " at least " + minItems + " items");
      }
      if (maxItems != null) {
        parts.add(argument + " at most " + maxItems + " items");
      }
      return parts.isEmpty() ? argument + " given" : String.join(", ", parts);
    }
  }

  /** Keywords beyond the native set: the JSON Schema library decides. */
  static final class Delegated extends ArgConstraint {
    private final SchemaCheck check;
    private final String source;

    Delegated(String argument, SchemaCheck check, String source) {
      super(argument);
      this.check = check;
      this.source = source;
    }

    @Override
    Failure check(JsonNode value) {
      if (value == null || value.isMissingNode()) {
        return new Failure(argument, "required", "(missing)", "is missing", argument + " must be given");
      }
      Optional<Violation> v = check.check(value);
      return v.map(x -> new Failure(argument, x.keyword(), text(value),
          "violates " + x.keyword() + (x.path().isEmpty() ? "" : " at " + x.path()) + " (" + x.message() + ")",
          argument + " must satisfy " + source)).orElse(null);
    }

    @Override
    String describe() {
      return argument + " matching schema " + source;
    }
  }
}
