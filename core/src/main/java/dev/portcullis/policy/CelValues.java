package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import dev.portcullis.config.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Converts JSON and YAML values into the Java values CEL evaluates: Long, Double, String, Boolean, List, Map. */
final class CelValues {
  private CelValues() {}

  static Object of(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new HashMap<>(Math.max(4, node.size() * 2));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), of(e.getValue()));
        }
        yield Collections.unmodifiableMap(map);
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(item -> list.add(of(item)));
        yield Collections.unmodifiableList(list);
      }
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
          : (Object) node.doubleValue();
      default -> node.asText();
    };
  }

  /** A YAML value as a CEL-ready Java value (agent attributes). */
  static Object of(Node node) {
    return switch (node) {
      case Node.MapNode m -> {
        Map<String, Object> map = new HashMap<>();
        m.entries().forEach(e -> map.put(e.key(), of(e.value())));
        yield Collections.unmodifiableMap(map);
      }
      case Node.SeqNode s -> s.items().stream().map(CelValues::of).toList();
      case Node.ScalarNode s -> switch (s.value()) {
        case null -> NullValue.NULL_VALUE;
        case java.math.BigInteger i -> i.doubleValue();
        case java.math.BigDecimal d -> d.doubleValue();
        default -> s.value();
      };
    };
  }

  /** Ensures a value handed in from outside (an OIDC claim, say) is one CEL understands. */
  static Object normalize(Object value) {
    return convert(value, NullValue.NULL_VALUE);
  }

  /**
   * A value taken from a token's claims or the policy file as an agent attribute: the shape {@link #normalize} gives,
   * except that a JSON null stays {@code null}, so the attribute reads back as JSON (audit entries, sub-agent tokens);
   * {@link #normalize} turns it into CEL's null when a condition reads it.
   */
  static Object attributeValue(Object value) {
    return convert(value, null);
  }

  private static Object convert(Object value, Object nullValue) {
    return switch (value) {
      case null -> nullValue;
      case NullValue n -> nullValue;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case java.math.BigInteger i -> i.doubleValue();
      case java.math.BigDecimal d -> d.doubleValue();
      case JsonNode j -> nullValue == null ? convert(dev.portcullis.json.Json.MAPPER.convertValue(j, Object.class), null)
          : of(j);
      case Map<?, ?> m -> {
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), convert(v, nullValue)));
        yield Collections.unmodifiableMap(out);
      }
      case java.util.Collection<?> c -> c.stream().map(v -> convert(v, nullValue)).toList();
      default -> value;
    };
  }
}
