package dev.portcullis.testing.conformance;

import static dev.portcullis.testing.conformance.ContentTools.noArgs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.McpRequest;
import dev.portcullis.testing.kit.Reply;
import java.util.Map;
import java.util.Optional;

/**
 * Tools that talk back during a call: log messages, progress, sampling and elicitation (written MRTR-style: on the
 * 2025 wire the kit turns the input request into a real server-to-client request), and list-change triggers.
 */
final class InteractionTools {
  private InteractionTools() {}

  static void register(McpFixture.Builder builder) {
    builder
        .tool(noArgs("test_tool_with_logging", "Tests tool that emits log messages during execution"), request -> {
          request.log("info", TextNode.valueOf("Tool execution started"));
          pause(50);
          request.log("info", TextNode.valueOf("Tool processing data"));
          pause(50);
          request.log("info", TextNode.valueOf("Tool execution completed"));
          return Reply.text("Tool with logging executed successfully");
        })
        .tool(noArgs("test_tool_with_progress", "Tests tool that reports progress notifications"), request -> {
          for (int step = 0; step <= 100; step += 50) {
            request.progress(step, 100.0, "Completed step " + step + " of 100");
            if (step < 100) {
              pause(50);
            }
          }
          JsonNode token = request.params().path("_meta").get("progressToken");
          return Reply.text(token == null ? "no progress token" : token.asText());
        })
        .tool("""
            {"name": "test_sampling", "description": "Tests server-initiated sampling (LLM completion request)",
             "inputSchema": {"type": "object",
               "properties": {"prompt": {"type": "string", "description": "The prompt to send to the LLM"}},
               "required": ["prompt"]}}""", request -> {
          Optional<ObjectNode> answer = request.inputResponse("completion");
          if (answer.isEmpty()) {
            return Reply.inputRequired(
                Map.of("completion", Reply.sampling(request.arguments().path("prompt").asText(), 100)), null);
          }
          return Reply.text("LLM response: " + answer.get().path("content").path("text").asText("No response"));
        })
        .tool("""
            {"name": "test_elicitation", "description": "Tests server-initiated elicitation (user input request)",
             "inputSchema": {"type": "object",
               "properties": {"message": {"type": "string", "description": "The message to show the user"}},
               "required": ["message"]}}""",
            request -> elicit(request, "answer", request.arguments().path("message").asText(), """
                {"type": "object",
                 "properties": {"username": {"type": "string", "description": "User's response"},
                                "email": {"type": "string", "description": "User's email address"}},
                 "required": ["username", "email"]}""", "User response: "))
        .tool(noArgs("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034"),
            request -> elicit(request, "form", "Please review and update the form fields with defaults", """
                {"type": "object", "properties": {
                   "name": {"type": "string", "description": "User name", "default": "John Doe"},
                   "age": {"type": "integer", "description": "User age", "default": 30},
                   "score": {"type": "number", "description": "User score", "default": 95.5},
                   "status": {"type": "string", "description": "User status",
                              "enum": ["active", "inactive", "pending"], "default": "active"},
                   "verified": {"type": "boolean", "description": "Verification status", "default": true}},
                 "required": []}""", "Elicitation completed: "))
        .tool(noArgs("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330"),
            request -> elicit(request, "choices", "Please select options from the enum fields", """
                {"type": "object", "properties": {
                   "untitledSingle": {"type": "string", "description": "Select one option",
                                      "enum": ["option1", "option2", "option3"]},
                   "titledSingle": {"type": "string", "description": "Select one option with titles",
                                    "oneOf": [{"const": "value1", "title": "First Option"},
                                              {"const": "value2", "title": "Second Option"},
                                              {"const": "value3", "title": "Third Option"}]},
                   "legacyEnum": {"type": "string", "description": "Select one option (legacy)",
                                  "enum": ["opt1", "opt2", "opt3"],
                                  "enumNames": ["Option One", "Option Two", "Option Three"]},
                   "untitledMulti": {"type": "array", "description": "Select multiple options",
                                     "minItems": 1, "maxItems": 3,
                                     "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
                   "titledMulti": {"type": "array", "description": "Select multiple options with titles",
                                   "minItems": 1, "maxItems": 3,
                                   "items": {"anyOf": [{"const": "value1", "title": "First Choice"},
                                                       {"const": "value2", "title": "Second Choice"},
                                                       {"const": "value3", "title": "Third Choice"}]}}},
                 "required": []}""", "Elicitation completed: "))
        .tool(noArgs("test_missing_capability",
            "Needs sampling from the client: refused with -32021 when the client did not declare sampling"), request -> {
          request.requireClientCapability("sampling", "test_missing_capability asks the client's LLM for a word");
          Optional<ObjectNode> answer = request.inputResponse("word");
          if (answer.isEmpty()) {
            return Reply.inputRequired(Map.of("word", Reply.sampling("Say one word.", 10)), null);
          }
          return Reply.text("Success: the client sampled '" + answer.get().path("content").path("text").asText() + "'");
        })
        .tool(noArgs("test_streaming_elicitation",
            "Streams progress, then asks for a confirmation (an input_required result on 2026, a real "
                + "elicitation/create request on 2025), then completes"), request -> {
          request.progress(50, 100.0, "Waiting for the user's confirmation");
          Optional<ObjectNode> answer = request.inputResponse("confirmation");
          if (answer.isEmpty()) {
            return Reply.inputRequired(Map.of("confirmation", Reply.elicitation("Confirm to finish streaming",
                Json.parseObject("""
                    {"type": "object", "properties": {"confirmed": {"type": "boolean"}}, "required": ["confirmed"]}
                    """))), null);
          }
          request.progress(100, 100.0, "Confirmed");
          return Reply.text("Streaming complete: action=" + answer.get().path("action").asText());
        })
        .tool(noArgs("test_logging_tool",
            "Logs one info message, only when the request sets io.modelcontextprotocol/logLevel"), request -> {
          request.log("info", TextNode.valueOf("Diagnostic trace logging activated"));
          return Reply.text("Logging evaluated");
        })
        .tool(noArgs("test_trigger_tool_change", "Announces a tool list change to listening clients"), request -> {
          request.fixture().notifyToolsChanged();
          return Reply.text("Tool list change notified");
        })
        .tool(noArgs("test_trigger_prompt_change", "Announces a prompt list change to listening clients"),
            request -> {
              request.fixture().notifyPromptsChanged();
              return Reply.text("Prompt list change notified");
            })
        .tool("""
            {"name": "test_trigger_resource_update",
             "description": "Announces that a resource changed to clients subscribed to it",
             "inputSchema": {"type": "object",
               "properties": {"uri": {"type": "string", "description": "Resource URI (default test://watched-resource)"}}}}
            """, request -> {
          String uri = request.arguments().path("uri").asText("test://watched-resource");
          request.fixture().notifyResourceUpdated(uri);
          return Reply.text("Resource update notified: " + uri);
        });
  }

  /** Asks the user via elicitation (MRTR style) and reports the action and content. */
  private static Reply elicit(McpRequest request, String key, String message, String schema, String prefix) {
    Optional<ObjectNode> answer = request.inputResponse(key);
    if (answer.isEmpty()) {
      return Reply.inputRequired(Map.of(key, Reply.elicitation(message, Json.parseObject(schema))), null);
    }
    JsonNode content = answer.get().path("content");
    return Reply.text(prefix + "action=" + answer.get().path("action").asText() + ", content="
        + Json.write(content.isObject() ? content : Json.object()));
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted (the request was cancelled)", e);
    }
  }
}
