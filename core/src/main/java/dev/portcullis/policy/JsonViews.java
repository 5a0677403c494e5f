package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Read-only views of the call's JSON arguments as the maps and lists CEL evaluates, converting a value only when an
 * expression reads it ({@link CelValues#of(JsonNode)} would copy the whole tree up front).
 */
final class JsonViews {
  private JsonViews() {}

  /** The CEL value of {@code node}: scalars converted, objects and arrays wrapped. */
  static Object of(JsonNode node) {
    if (node != null && node.isObject()) {
      return new ObjectView(node);
    }
    if (node != null && node.isArray()) {
      return new ArrayView(node);
    }
    return CelValues.of(node);
  }

  private static final class ObjectView extends AbstractMap<String, Object> {
    private final JsonNode node;

    ObjectView(JsonNode node) {
      this.node = node;
    }

    @Override
    public Object get(Object key) {
      if (!(key instanceof String k)) {
        return null;
      }
      JsonNode value = node.get(k);
      return value == null ? null : of(value);
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String k && node.has(k);
    }

    @Override
    public int size() {
      return node.size();
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
          Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return fields.hasNext();
            }

            @Override
            public Map.Entry<String, Object> next() {
              Map.Entry<String, JsonNode> e = fields.next();
              return new SimpleImmutableEntry<>(e.getKey(), of(e.getValue()));
            }
          };
        }

        @Override
        public int size() {
          return node.size();
        }
      };
    }
  }

  private static final class ArrayView extends AbstractList<Object> {
    private final JsonNode node;

    ArrayView(JsonNode node) {
      this.node = node;
    }

    @Override
    public Object get(int index) {
      if (index < 0 || index >= node.size()) {
        throw new IndexOutOfBoundsException(index);
      }
      return of(node.get(index));
    }

    @Override
    public int size() {
      return node.size();
    }
  }
}
