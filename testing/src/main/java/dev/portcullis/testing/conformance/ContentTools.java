package dev.portcullis.testing.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Reply;

/** Tools that return fixed content of every kind, plus the failing tool and the header-mirroring tool. */
final class ContentTools {
  /** A 1x1 red PNG. */
  static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
  /** A minimal WAV file. */
  static final String WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

  private ContentTools() {}

  static void register(McpFixture.Builder builder) {
    builder
        .tool(noArgs("test_simple_text", "Tests simple text content response"),
            request -> Reply.text("This is a simple text response for testing."))
        .tool(noArgs("test_image_content", "Tests image content response"),
            request -> Reply.complete(content(image())))
        .tool(noArgs("test_audio_content", "Tests audio content response"), request -> {
          ObjectNode audio = Json.object().put("type", "audio").put("data", WAV).put("mimeType", "audio/wav");
          return Reply.complete(content(audio));
        })
        .tool(noArgs("test_embedded_resource", "Tests embedded resource content response"),
            request -> Reply.complete(content(embedded("test://embedded-resource", "text/plain",
                "This is an embedded resource content."))))
        .tool(noArgs("test_multiple_content_types",
                "Tests response with multiple content types (text, image, resource)"),
            request -> Reply.complete(content(
                Json.object().put("type", "text").put("text", "Multiple content types test:"),
                image(),
                embedded("test://mixed-content-resource", "application/json", "{\"test\":\"data\",\"value\":123}"))))
        .tool(noArgs("test_error_handling", "Tests error response handling"), request -> {
          throw new IllegalStateException("This tool intentionally returns an error for testing");
        })
        .tool("""
            {"name": "test_custom_header",
             "description": "Echoes its region argument; the region is mirrored in the Mcp-Param-Region header (x-mcp-header)",
             "inputSchema": {"type": "object",
               "properties": {"region": {"type": "string", "description": "Region to echo", "x-mcp-header": "Region"}},
               "required": ["region"]}}""",
            request -> Reply.text("region=" + request.arguments().path("region").asText()))
        .tool("""
            {"name": "json_schema_2020_12_tool",
             "description": "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
             "inputSchema": {
               "$schema": "https://json-schema.org/draft/2020-12/schema",
               "type": "object",
               "$defs": {"address": {"$anchor": "addressDef", "type": "object",
                 "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}},
               "properties": {
                 "name": {"type": "string"},
                 "address": {"$ref": "#/$defs/address"},
                 "contactMethod": {"type": "string", "enum": ["phone", "email"]},
                 "phone": {"type": "string"},
                 "email": {"type": "string"}},
               "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
               "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
               "then": {"required": ["phone"]},
               "else": {"required": ["email"]},
               "additionalProperties": false}}""",
            request -> Reply.text("JSON Schema 2020-12 tool called with: " + Json.write(request.arguments())));
  }

  static ObjectNode noArgs(String name, String description) {
    ObjectNode tool = Json.object().put("name", name).put("description", description);
    tool.putObject("inputSchema").put("type", "object").putObject("properties");
    return tool;
  }

  static ObjectNode image() {
    return Json.object().put("type", "image").put("data", PNG).put("mimeType", "image/png");
  }

  static ObjectNode embedded(String uri, String mimeType, String text) {
    ObjectNode block = Json.object().put("type", "resource");
    block.putObject("resource").put("uri", uri).put("mimeType", mimeType).put("text", text);
    return block;
  }

  static ObjectNode content(ObjectNode... blocks) {
    ObjectNode result = Json.object();
    var array = result.putArray("content");
    for (ObjectNode block : blocks) {
      array.add(block);
    }
    return result;
  }
}
