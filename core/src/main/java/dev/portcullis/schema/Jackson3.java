package dev.portcullis.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Copies a Jackson 2 tree (what the gateway uses) into a Jackson 3 tree (what json-schema-validator 3 reads). A tree
 * walk is cheaper than printing and re-parsing, and arguments are small (limits are checked first).
 */
final class Jackson3 {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Jackson3() {}

  static tools.jackson.databind.JsonNode copy(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        ObjectNode out = F.objectNode();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          out.set(e.getKey(), copy(e.getValue()));
        }
        yield out;
      }
      case ARRAY -> {
        ArrayNode out = F.arrayNode(node.size());
        for (JsonNode item : node) {
          out.add(copy(item));
        }
        yield out;
      }
      case STRING -> F.stringNode(node.textValue());
      case BOOLEAN -> F.booleanNode(node.booleanValue());
      case NUMBER -> switch (node.numberType()) {
        case INT -> F.numberNode(node.intValue());
        case LONG -> F.numberNode(node.longValue());
        case BIG_INTEGER -> F.numberNode(node.bigIntegerValue());
        case FLOAT, DOUBLE -> F.numberNode(node.doubleValue());
        case BIG_DECIMAL -> F.numberNode(node.decimalValue());
      };
      case BINARY -> F.stringNode(node.asText());
      default -> F.nullNode();
    };
  }
}
