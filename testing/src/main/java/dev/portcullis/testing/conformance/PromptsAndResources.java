package dev.portcullis.testing.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Reply;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The conformance prompts (one needs MRTR input), resources, the resource template, and argument completion. */
final class PromptsAndResources {
  private static final List<String> ARG1_SUGGESTIONS = List.of("paris", "park", "party");

  private PromptsAndResources() {}

  static void register(McpFixture.Builder builder) {
    builder
        .prompt("""
            {"name": "test_simple_prompt", "title": "Simple Test Prompt",
             "description": "A simple prompt without arguments"}""",
            request -> messages(userText("This is a simple prompt for testing.")))
        .prompt("""
            {"name": "test_prompt_with_arguments", "title": "Prompt With Arguments",
             "description": "A prompt with required arguments",
             "arguments": [{"name": "arg1", "description": "First test argument", "required": true},
                           {"name": "arg2", "description": "Second test argument", "required": true}]}""",
            request -> messages(userText("Prompt with arguments: arg1='" + request.arguments().path("arg1").asText()
                + "', arg2='" + request.arguments().path("arg2").asText() + "'")))
        .prompt("""
            {"name": "test_prompt_with_embedded_resource", "title": "Prompt With Embedded Resource",
             "description": "A prompt that includes an embedded resource",
             "arguments": [{"name": "resourceUri", "description": "URI of the resource to embed", "required": true}]}""",
            request -> {
              ObjectNode resource = Json.object().put("role", "user");
              resource.putObject("content").put("type", "resource").putObject("resource")
                  .put("uri", request.arguments().path("resourceUri").asText())
                  .put("mimeType", "text/plain").put("text", "Embedded resource content for testing.");
              return messages(resource, userText("Please process the embedded resource above."));
            })
        .prompt("""
            {"name": "test_prompt_with_image", "title": "Prompt With Image",
             "description": "A prompt that includes image content"}""",
            request -> {
              ObjectNode image = Json.object().put("role", "user");
              image.set("content", ContentTools.image());
              return messages(image, userText("Please analyze the image above."));
            })
        .prompt("""
            {"name": "test_input_required_result_prompt",
             "description": "MRTR: prompt that requires elicitation input"}""",
            request -> {
              Optional<ObjectNode> context = request.inputResponse("user_context");
              if (context.isEmpty()) {
                return Reply.inputRequired(Map.of("user_context",
                    MrtrTools.askString("What context should the prompt use?", "context")), null);
              }
              return messages(userText("Prompt with context: " + MrtrTools.field(context.get(), "context")));
            })
        .resource("""
            {"uri": "test://static-text", "name": "static-text", "title": "Static Text Resource",
             "description": "A static text resource for testing", "mimeType": "text/plain"}""",
            request -> contents(Json.object().put("uri", "test://static-text").put("mimeType", "text/plain")
                .put("text", "This is the content of the static text resource.")))
        .resource("""
            {"uri": "test://static-binary", "name": "static-binary", "title": "Static Binary Resource",
             "description": "A static binary resource (image) for testing", "mimeType": "image/png"}""",
            request -> contents(Json.object().put("uri", "test://static-binary").put("mimeType", "image/png")
                .put("blob", ContentTools.PNG)))
        .resource("""
            {"uri": "test://watched-resource", "name": "watched-resource", "title": "Watched Resource",
             "description": "A resource clients can subscribe to (test_trigger_resource_update announces changes)",
             "mimeType": "text/plain"}""",
            request -> contents(Json.object().put("uri", "test://watched-resource").put("mimeType", "text/plain")
                .put("text", "Watched resource content")))
        .resourceTemplate("""
            {"uriTemplate": "test://template/{id}/data", "name": "template", "title": "Resource Template",
             "description": "A resource template with parameter substitution", "mimeType": "application/json"}""",
            request -> {
              String id = request.arguments().path("id").asText();
              String text = Json.write(Json.object().put("id", id).put("templateTest", true)
                  .put("data", "Data for ID: " + id));
              return contents(Json.object().put("uri", request.params().path("uri").asText())
                  .put("mimeType", "application/json").put("text", text));
            })
        .completion(request -> {
          String value = request.arguments().path("value").asText("");
          boolean arg1 = "ref/prompt".equals(request.params().path("ref").path("type").asText())
              && "test_prompt_with_arguments".equals(request.params().path("ref").path("name").asText())
              && "arg1".equals(request.arguments().path("name").asText());
          List<String> values = arg1 ? ARG1_SUGGESTIONS.stream().filter(s -> s.startsWith(value)).toList() : List.of();
          ObjectNode result = Json.object();
          ObjectNode completion = result.putObject("completion").put("total", values.size()).put("hasMore", false);
          values.forEach(completion.putArray("values")::add);
          return Reply.complete(result);
        });
  }

  private static ObjectNode userText(String text) {
    ObjectNode message = Json.object().put("role", "user");
    message.putObject("content").put("type", "text").put("text", text);
    return message;
  }

  private static Reply messages(ObjectNode... messages) {
    ObjectNode result = Json.object();
    ArrayNode array = result.putArray("messages");
    for (ObjectNode message : messages) {
      array.add(message);
    }
    return Reply.complete(result);
  }

  private static Reply contents(ObjectNode content) {
    ObjectNode result = Json.object();
    result.putArray("contents").add(content);
    return Reply.complete(result);
  }
}
