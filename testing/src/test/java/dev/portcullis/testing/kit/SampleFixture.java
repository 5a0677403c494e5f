package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Optional;

/** A small fixture built with the kit, as a fixture author would: one tool of each interesting kind. */
final class SampleFixture {
  private SampleFixture() {}

  static McpFixture build() {
    return McpFixture.builder("sample", "0.1.0")
        .tool("""
            {"name": "echo", "description": "Echoes its text",
             "inputSchema": {"type": "object", "additionalProperties": false, "required": ["text"],
               "properties": {"text": {"type": "string"}}}}""",
            request -> Reply.text(request.arguments().path("text").asText()))
        .tool("""
            {"name": "regional", "description": "Echoes the region, mirrored in Mcp-Param-Region",
             "inputSchema": {"type": "object",
               "properties": {"region": {"type": "string", "x-mcp-header": "Region"}, "count": {"type": "integer", "x-mcp-header": "Count"}}}}""",
            request -> Reply.text("region=" + request.arguments().path("region").asText()))
        .tool("""
            {"name": "ask_name", "description": "Asks the user's name (MRTR), then greets",
             "inputSchema": {"type": "object"}}""", request -> {
          Optional<ObjectNode> answer = request.inputResponse("name");
          if (answer.isEmpty()) {
            ObjectNode schema = Json.parseObject("""
                {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}""");
            return Reply.inputRequired(Map.of("name", Reply.elicitation("Your name?", schema)), "round-1");
          }
          return Reply.text("Hello " + answer.get().path("content").path("name").asText() + " (state "
              + request.requestState().orElse("none") + ")");
        })
        .tool("""
            {"name": "slow_steps", "description": "Reports progress and logs while working",
             "inputSchema": {"type": "object"}}""", request -> {
          request.log("debug", TextNode.valueOf("starting"));
          for (int step = 1; step <= 3; step++) {
            request.progress(step, 3.0, "step " + step);
          }
          request.log("warning", TextNode.valueOf("done"));
          return Reply.text("finished");
        })
        .tool("""
            {"name": "sleep", "description": "Sleeps",
             "inputSchema": {"type": "object", "properties": {"ms": {"type": "integer"}}}}""", request -> {
          try {
            Thread.sleep(request.arguments().path("ms").asLong());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.toolError("cancelled");
          }
          return Reply.text("slept");
        })
        .tool("""
            {"name": "trigger", "description": "Announces a tool list change", "inputSchema": {"type": "object"}}""",
            request -> {
              request.fixture().notifyToolsChanged();
              return Reply.text("notified");
            })
        .resource("""
            {"uri": "sample://note", "name": "note", "mimeType": "text/plain"}""", request -> {
          ObjectNode result = Json.object();
          result.putArray("contents").addObject().put("uri", "sample://note").put("text", "a note");
          return Reply.complete(result);
        })
        .build();
  }
}
