package dev.portcullis.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.List;
import java.util.Optional;

/**
 * One JSON Schema compiled once and checked many times: JSON Schema 2020-12 unless the schema's {@code $schema} names
 * another draft (draft-07 is common among MCP servers), {@code $ref} resolved inside the schema. Remote references are
 * never fetched.
 */
public final class SchemaCheck {
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.LEGACY).build()));

  private final Schema schema;

  private SchemaCheck(Schema schema) {
    this.schema = schema;
  }

  /** Compiles {@code schema}; a malformed schema fails here with the library's explanation. */
  public static SchemaCheck compile(JsonNode schema) {
    try {
      Schema compiled = REGISTRY.getSchema(Jackson3.copy(schema));
      compiled.initializeValidators();
      return new SchemaCheck(compiled);
    } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
    }
  }

  /** The first way {@code instance} fails the schema, if any. */
  public Optional<Violation> check(JsonNode instance) {
    return check(Jackson3.copy(instance));
  }

  Optional<Violation> check(tools.jackson.databind.JsonNode instance) {
    List<Error> errors = schema.validate(instance);
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    Error e = errors.get(0);
    String path = path(e);
    String value = e.getInstanceNode() == null ? "(missing)" : abbreviate(e.getInstanceNode());
    String message = e.getMessage();
    return Optional.of(new Violation(path, e.getKeyword() == null ? "schema" : e.getKeyword(), value, message));
  }

  private static String path(Error e) {
    String p = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    if (p.startsWith(".")) {
      p = p.substring(1);
    }
    return p;
  }

  private static String abbreviate(tools.jackson.databind.JsonNode node) {
    if (node.isString()) {
      return Abbrev.quote(node.stringValue());
    }
    String text = node.toString();
    return text.length() <= Abbrev.MAX ? text : text.substring(0, Abbrev.MAX) + "...";
  }
}
