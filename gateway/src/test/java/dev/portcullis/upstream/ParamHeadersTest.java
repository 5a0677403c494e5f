package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The 2026 {@code x-mcp-header} rules: which tool definitions are kept, and which headers a call gets. */
class ParamHeadersTest {
  private final ParamHeaders headers = new ParamHeaders("test");

  private static ObjectNode list(String toolsJson) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree("{\"tools\": " + toolsJson + "}");
  }

  private Map<String, String> call(String tool, String argumentsJson) throws Exception {
    Map<String, String> out = new TreeMap<>();
    headers.apply(tool, Json.MAPPER.readTree(argumentsJson), out::put);
    return out;
  }

  @Test
  void mirrorsAnnotatedTopLevelAndNestedPropertiesIntoHeaders() throws Exception {
    headers.learn(list("""
        [{"name": "execute_sql", "inputSchema": {"type": "object", "properties": {
          "region": {"type": "string", "x-mcp-header": "Region"},
          "target": {"type": "object", "properties": {"id": {"type": "integer", "x-mcp-header": "Target-Id"}}},
          "dry": {"type": "boolean", "x-mcp-header": "Dry"},
          "query": {"type": "string"}}}}]"""));

    assertThat(call("execute_sql", """
        {"region": "日本", "target": {"id": 42}, "dry": false, "query": "SELECT 1"}"""))
        .containsExactly(Map.entry("Mcp-Param-Dry", "false"), Map.entry("Mcp-Param-Region", "=?base64?5pel5pys?="),
            Map.entry("Mcp-Param-Target-Id", "42"));
  }

  @Test
  void omitsTheHeaderWhenTheValueIsAbsentOrNull() throws Exception {
    headers.learn(list("""
        [{"name": "t", "inputSchema": {"properties": {"region": {"type": "string", "x-mcp-header": "Region"}}}}]"""));

    assertThat(call("t", "{}")).isEmpty();
    assertThat(call("t", "{\"region\": null}")).isEmpty();
    assertThat(call("unknown", "{\"region\": \"x\"}")).isEmpty();
  }

  @Test
  void dropsToolsWhoseAnnotationsBreakTheConstraintsAndKeepsTheOthers() throws Exception {
    ObjectNode result = list("""
        [{"name": "ok", "inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": "A"}}}},
         {"name": "number", "inputSchema": {"properties": {"a": {"type": "number", "x-mcp-header": "A"}}}},
         {"name": "in-items", "inputSchema": {"properties": {"a": {"type": "array",
            "items": {"type": "string", "x-mcp-header": "A"}}}}},
         {"name": "in-anyOf", "inputSchema": {"anyOf": [{"properties": {"a": {"type": "string",
            "x-mcp-header": "A"}}}]}},
         {"name": "duplicate", "inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": "A"},
            "b": {"type": "string", "x-mcp-header": "a"}}}},
         {"name": "not-a-token", "inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": "A B"}}}},
         {"name": "empty", "inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": ""}}}},
         {"name": "plain", "inputSchema": {"properties": {"x-mcp-header": {"type": "string"}}}}]""");

    headers.learn(result);

    assertThat(result.get("tools")).extracting(t -> t.path("name").asText()).containsExactly("ok", "plain");
  }
}
