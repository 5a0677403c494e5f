package dev.portcullis.testing.demo;

import static dev.portcullis.testing.kit.Json.object;

import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Reply;

/** Tools for testing a gateway's failure handling: a crash mid-call, a slow call, and the outbox to assert on. */
final class DebugTools {
  /** The exit status of a process that ran debug_crash. */
  static final int CRASH_STATUS = 3;

  private DebugTools() {}

  static void register(McpFixture.Builder builder, AcmeData data) {
    builder.tool("""
        {"name": "debug_crash",
         "description": "Test hook: the server process exits with status 3 in the middle of this call (no answer is sent).",
         "inputSchema": {"type": "object", "additionalProperties": false, "properties": {}},
         "annotations": {"readOnlyHint": false, "destructiveHint": true, "idempotentHint": false, "openWorldHint": false}}
        """, request -> {
      System.err.println("debug_crash: exiting with status " + CRASH_STATUS + " mid-call");
      System.err.flush();
      Runtime.getRuntime().halt(CRASH_STATUS);
      return Reply.toolError("unreachable");
    });
    builder.tool("""
        {"name": "debug_sleep",
         "description": "Test hook: waits the given number of milliseconds, then answers (cancellable).",
         "inputSchema": {"type": "object", "additionalProperties": false, "required": ["ms"],
           "properties": {"ms": {"type": "integer", "minimum": 0, "maximum": 600000}}},
         "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}}
        """, request -> {
      long ms = request.arguments().path("ms").asLong();
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Reply.toolError("debug_sleep cancelled");
      }
      return Reply.text("slept " + ms + " ms");
    });
    builder.tool("""
        {"name": "debug_outbox",
         "description": "Test hook: lists the emails mail_send has sent since the server started.",
         "inputSchema": {"type": "object", "additionalProperties": false, "properties": {}},
         "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}}
        """, request -> {
      var structured = object();
      structured.set("sent", data.outbox());
      return CrmTools.structured(structured);
    });
  }
}
