package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.catalog.Catalog;
import dev.portcullis.catalog.Entry;
import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Tool;
import java.util.Optional;

/** Which tool, prompt or resource the request names, and which upstream serves it. Unknown names stop here. */
final class Resolve implements Step {
  private final Catalog catalog;

  Resolve(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    JsonNode params = exchange.params();
    switch (exchange.method()) {
      case "tools/call" -> {
        String name = text(params, "name");
        if (name == null) {
          return Reply.error(McpError.invalidParams("tools/call needs params.name, the tool to call"));
        }
        exchange.target(name);
        Optional<Tool> tool = catalog.tool(name);
        if (tool.isEmpty()) {
          return Reply.error(McpError.invalidParams("Unknown tool '" + name + "'; call tools/list for the tools you may use"));
        }
        exchange.tool(tool.get());
        exchange.route(tool.get().upstream(), tool.get().upstreamName());
      }
      case "prompts/get" -> {
        String name = text(params, "name");
        if (name == null) {
          return Reply.error(McpError.invalidParams("prompts/get needs params.name, the prompt to get"));
        }
        exchange.target(name);
        Optional<Entry> prompt = catalog.prompt(name);
        if (prompt.isEmpty()) {
          return Reply.error(McpError.invalidParams("Unknown prompt '" + name + "'; call prompts/list for the prompts you may use"));
        }
        exchange.route(prompt.get().upstream(), prompt.get().upstreamName());
      }
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
        String uri = text(params, "uri");
        if (uri == null) {
          return Reply.error(McpError.invalidParams(exchange.method() + " needs params.uri"));
        }
        exchange.target(uri);
        Optional<String> upstream = catalog.upstreamForResource(uri);
        if (upstream.isEmpty()) {
          return Reply.error(McpError.of(McpError.INVALID_PARAMS, "Resource not found: '" + uri
              + "' is not served by any upstream; call resources/list for the resources you may read",
              dev.portcullis.json.Json.object().put("uri", uri)));
        }
        exchange.route(upstream.get(), uri);
      }
      case "completion/complete" -> {
        JsonNode ref = params.path("ref");
        String type = ref.path("type").asText("");
        if ("ref/prompt".equals(type)) {
          String name = ref.path("name").asText("");
          exchange.target(name);
          Optional<Entry> prompt = catalog.prompt(name);
          if (prompt.isEmpty()) {
            return Reply.error(McpError.invalidParams("Unknown prompt '" + name + "' in completion ref"));
          }
          exchange.route(prompt.get().upstream(), prompt.get().upstreamName());
        } else if ("ref/resource".equals(type)) {
          String uri = ref.path("uri").asText("");
          exchange.target(uri);
          Optional<String> upstream = catalog.upstreamForResource(uri);
          if (upstream.isEmpty()) {
            return Reply.error(McpError.invalidParams("Unknown resource template '" + uri + "' in completion ref"));
          }
          exchange.route(upstream.get(), uri);
        } else {
          return Reply.error(McpError.invalidParams("completion/complete needs params.ref of type ref/prompt or ref/resource"));
        }
      }
      default -> {
        return Reply.error(McpError.methodNotFound(exchange.method(), ""));
      }
    }
    return next.proceed(exchange);
  }

  private static String text(JsonNode params, String field) {
    JsonNode value = params.get(field);
    return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }
}
