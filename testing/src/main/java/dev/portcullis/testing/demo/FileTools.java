package dev.portcullis.testing.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** files_read, files_write, files_list inside the sandbox folder. */
final class FileTools {
  private FileTools() {}

  static void register(McpFixture.Builder builder, Sandbox sandbox) {
    builder.tool("""
        {"name": "files_read",
         "title": "Read a file",
         "description": "Reads a UTF-8 text file inside the shared files folder.",
         "inputSchema": {"type": "object", "additionalProperties": false, "required": ["path"],
           "properties": {"path": {"type": "string", "minLength": 1, "maxLength": 512, "description": "Path relative to the files folder"}}},
         "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}}
        """, request -> {
      Path file = sandbox.resolve(request.arguments().path("path").asText());
      if (!Files.isRegularFile(file)) {
        return Reply.toolError("No file '" + sandbox.relative(file) + "'; files_list shows what exists");
      }
      return Reply.text(io(() -> Files.readString(file, StandardCharsets.UTF_8)));
    });
    builder.tool("""
        {"name": "files_write",
         "title": "Write a file",
         "description": "Creates or overwrites a UTF-8 text file inside the shared files folder.",
         "inputSchema": {"type": "object", "additionalProperties": false, "required": ["path", "content"],
           "properties": {
             "path": {"type": "string", "minLength": 1, "maxLength": 512, "description": "Path relative to the files folder"},
             "content": {"type": "string", "maxLength": 1000000}}},
         "annotations": {"readOnlyHint": false, "destructiveHint": true, "idempotentHint": true, "openWorldHint": false}}
        """, request -> {
      Path file = sandbox.resolve(request.arguments().path("path").asText());
      String content = request.arguments().path("content").asText();
      io(() -> {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
      });
      return Reply.text("Wrote " + content.getBytes(StandardCharsets.UTF_8).length + " bytes to "
          + sandbox.relative(file));
    });
    builder.tool("""
        {"name": "files_list",
         "title": "List files",
         "description": "Lists the entries of a folder inside the shared files folder (default: its top).",
         "inputSchema": {"type": "object", "additionalProperties": false,
           "properties": {"path": {"type": "string", "maxLength": 512, "description": "Folder relative to the files folder"}}},
         "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}}
        """, request -> {
      Path folder = sandbox.resolve(request.arguments().path("path").asText("."));
      if (!Files.isDirectory(folder)) {
        return Reply.toolError("No folder '" + sandbox.relative(folder) + "'");
      }
      ObjectNode structured = Json.object().put("path", sandbox.relative(folder));
      ArrayNode entries = structured.putArray("entries");
      io(() -> {
        try (Stream<Path> children = Files.list(folder)) {
          children.sorted().forEach(child -> entries.addObject()
              .put("name", child.getFileName().toString())
              .put("type", Files.isDirectory(child) ? "directory" : "file"));
        }
        return null;
      });
      return CrmTools.structured(structured);
    });
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  private static <T> T io(IoAction<T> action) {
    try {
      return action.run();
    } catch (IOException e) {
      throw new UncheckedIOException("file operation failed: " + e.getMessage(), e);
    }
  }
}
