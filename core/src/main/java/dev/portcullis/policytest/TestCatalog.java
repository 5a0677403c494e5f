package dev.portcullis.policytest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.Fields;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.json.Json;
import dev.portcullis.model.Tool;
import dev.portcullis.policy.Policy;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tools a test file's cases call. A tool defined under the file's {@code tools:} (its MCP definition: inputSchema,
 * annotations) gets full argument validation; any other tool is an object-schema stand-in, so only the policy decides.
 */
final class TestCatalog {
  private final Policy policy;
  private final Map<String, Tool> defined = new HashMap<>();

  TestCatalog(Policy policy, Optional<Node> section, Problems problems) {
    this.policy = policy;
    section.ifPresent(n -> Fields.mapping(n, "tools of the test file", problems).entries().forEach(e -> {
      if (!(e.value().toJson() instanceof ObjectNode def)) {
        problems.error(e.value().mark(), "tool '" + e.key() + "' must be an MCP tool definition (a mapping)", "");
        return;
      }
      defined.put(e.key(), tool(e.key(), def.deepCopy()));
    }));
  }

  boolean validates(String name) {
    return defined.containsKey(name);
  }

  Tool tool(String name) {
    Tool t = defined.get(name);
    return t != null ? t : tool(name, Json.object().set("inputSchema", Json.object().put("type", "object")));
  }

  private Tool tool(String name, ObjectNode definition) {
    int dot = name.indexOf('.');
    String upstream = dot > 0 ? name.substring(0, dot) : "";
    definition.put("name", name.substring(dot + 1));
    Set<String> labels = new LinkedHashSet<>(policy.toolFacts(name).labels());
    return new Tool(name, upstream, name.substring(dot + 1), definition, labels,
        "test:" + Json.write(definition).hashCode());
  }
}
