package dev.portcullis.testing.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Jackson tree helpers for fixtures: MCP messages stay trees end to end, definitions are written as JSON text. */
public final class Json {
  /** The mapper every fixture shares. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Parses JSON text; throws IllegalArgumentException naming the problem when it is not JSON. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON text that must be an object (definitions written as text blocks). */
  public static ObjectNode parseObject(String json) {
    JsonNode node = parse(json);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("expected a JSON object, got " + node.getNodeType() + ": " + abbreviate(json));
    }
    return object;
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A text content block list result: {@code {"content":[{"type":"text","text":...}]}}. */
  public static ObjectNode textContent(String text) {
    ObjectNode result = object();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}
