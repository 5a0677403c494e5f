package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.catalog.Catalog;
import dev.portcullis.catalog.Entry;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Tool;
import dev.portcullis.policy.Policy;
import java.util.Set;

/**
 * Methods the gateway answers itself: discovery and the handshake, {@code ping}, and the four lists, which show each
 * agent only what its grants let it use (so the lists are {@code private} for caching). Everything else proceeds.
 */
final class LocalMethods implements Step {
  /** Methods that exist only on the 2025 wire; the 2026 wire answers them with 404 and -32601. */
  private static final Set<String> LEGACY_ONLY = Set.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
      "resources/unsubscribe");
  /** Methods that are forwarded to an upstream after the checks. */
  private static final Set<String> FORWARDED = Set.of("tools/call", "prompts/get", "resources/read", "completion/complete",
      "resources/subscribe", "resources/unsubscribe");

  private final Catalog catalog;
  private final ServerIdentity identity;
  private final long listTtlMillis;

  LocalMethods(Catalog catalog, ServerIdentity identity, long listTtlMillis) {
    this.catalog = catalog;
    this.identity = identity;
    this.listTtlMillis = listTtlMillis;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    String method = exchange.method();
    boolean modern = exchange.wire() == Exchange.Wire.STATELESS;
    if (modern && LEGACY_ONLY.contains(method)) {
      return Reply.error(McpError.methodNotFound(method, "removed in MCP " + Mcp.V2026));
    }
    if (!modern && ("server/discover".equals(method) || "subscriptions/listen".equals(method))) {
      return Reply.error(McpError.methodNotFound(method, "this session speaks MCP " + exchange.protocolVersion()));
    }
    Policy policy = exchange.policy();
    Agent agent = exchange.agent();
    return switch (method) {
      case "server/discover" -> Reply.result(discover(exchange));
      case "initialize" -> Reply.result(initialize(exchange));
      case "ping", "logging/setLevel", "subscriptions/listen" -> Reply.result(Json.object());
      case "tools/list" -> Reply.result(list(exchange, "tools", tools(policy, agent)));
      case "prompts/list" -> Reply.result(list(exchange, "prompts",
          withFirst(permissionsPrompt(), entries(catalog.prompts(), e -> policy.visiblePrompt(agent, e.name())))));
      case "resources/list" -> Reply.result(list(exchange, "resources",
          withFirst(permissionsResource(), entries(catalog.resources(), e -> policy.visibleResource(agent, e.name())))));
      case "resources/read" -> PERMISSIONS_URI.equals(exchange.params().path("uri").asText())
          ? Reply.result(readPermissions(exchange)) : next.proceed(exchange);
      case "prompts/get" -> PERMISSIONS_PROMPT.equals(exchange.params().path("name").asText())
          ? Reply.result(getPermissions(exchange)) : next.proceed(exchange);
      case "resources/templates/list" -> Reply.result(list(exchange, "resourceTemplates",
          entries(catalog.templates(), e -> policy.visibleResource(agent, e.name()))));
      default -> FORWARDED.contains(method) ? next.proceed(exchange) : Reply.error(McpError.methodNotFound(method, ""));
    };
  }

  /** The agent's own permission summary, readable as a resource and usable as a prompt (docs/policy.md). */
  static final String PERMISSIONS_URI = "portcullis://permissions";
  static final String PERMISSIONS_PROMPT = "portcullis.permissions";

  private static ObjectNode permissionsResource() {
    return Json.object().put("uri", PERMISSIONS_URI).put("name", "permissions").put("title", "Your permissions")
        .put("description", "What this agent may call through Portcullis, with which limits, and what needs approval")
        .put("mimeType", "text/markdown");
  }

  private static ObjectNode permissionsPrompt() {
    return Json.object().put("name", PERMISSIONS_PROMPT).put("title", "Your permissions")
        .put("description", "Adds this agent's permission summary to the conversation, so it knows its limits up front");
  }

  private ObjectNode readPermissions(Exchange exchange) {
    exchange.target(PERMISSIONS_URI);
    ObjectNode result = Json.object();
    result.putArray("contents").addObject().put("uri", PERMISSIONS_URI).put("mimeType", "text/markdown")
        .put("text", identity.summary(exchange.policy(), exchange.agent()));
    if (exchange.wire() == Exchange.Wire.STATELESS) {
      result.put("resultType", "complete").put("ttlMs", listTtlMillis).put("cacheScope", "private");
    }
    return result;
  }

  private ObjectNode getPermissions(Exchange exchange) {
    exchange.target(PERMISSIONS_PROMPT);
    ObjectNode result = Json.object().put("description", "Permission summary of agent " + exchange.agent().id());
    ObjectNode message = result.putArray("messages").addObject().put("role", "user");
    message.putObject("content").put("type", "text").put("text", identity.summary(exchange.policy(), exchange.agent()));
    if (exchange.wire() == Exchange.Wire.STATELESS) {
      result.put("resultType", "complete");
    }
    return result;
  }

  private static ArrayNode withFirst(ObjectNode first, ArrayNode rest) {
    ArrayNode all = Json.NODES.arrayNode();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private ArrayNode tools(Policy policy, Agent agent) {
    ArrayNode tools = Json.NODES.arrayNode();
    for (Tool tool : catalog.tools()) {
      if (policy.visible(agent, tool)) {
        tools.add(tool.definition().deepCopy().put("name", tool.name()));
      }
    }
    return tools;
  }

  private static ArrayNode entries(java.util.Collection<Entry> entries, java.util.function.Predicate<Entry> visible) {
    ArrayNode out = Json.NODES.arrayNode();
    for (Entry e : entries) {
      if (visible.test(e)) {
        ObjectNode definition = e.definition().deepCopy();
        if (definition.has("name") && !definition.has("uri") && !definition.has("uriTemplate")) {
          definition.put("name", e.name());
        }
        out.add(definition);
      }
    }
    return out;
  }

  private ObjectNode list(Exchange exchange, String field, ArrayNode items) {
    ObjectNode result = Json.object();
    result.set(field, items);
    if (exchange.wire() == Exchange.Wire.STATELESS) {
      result.put("resultType", "complete");
      result.put("ttlMs", listTtlMillis);
      result.put("cacheScope", "private");
    }
    return result;
  }

  private ObjectNode discover(Exchange exchange) {
    ObjectNode result = Json.object().put("resultType", "complete");
    ArrayNode versions = result.putArray("supportedVersions");
    Mcp.SUPPORTED.forEach(versions::add);
    result.set("capabilities", capabilities(false));
    result.putObject("_meta").set(Mcp.META_SERVER_INFO, identity.serverInfo());
    result.put("instructions", identity.instructions(exchange.policy(), exchange.agent()));
    result.put("ttlMs", listTtlMillis);
    result.put("cacheScope", "private");
    return result;
  }

  private ObjectNode initialize(Exchange exchange) {
    ObjectNode result = Json.object().put("protocolVersion", exchange.protocolVersion());
    result.set("capabilities", capabilities(true));
    result.set("serverInfo", identity.serverInfo());
    result.put("instructions", identity.instructions(exchange.policy(), exchange.agent()));
    return result;
  }

  private static ObjectNode capabilities(boolean legacy) {
    ObjectNode capabilities = Json.object();
    capabilities.putObject("tools").put("listChanged", true);
    capabilities.putObject("prompts").put("listChanged", true);
    capabilities.putObject("resources").put("subscribe", true).put("listChanged", true);
    capabilities.putObject("completions");
    if (legacy) {
      capabilities.putObject("logging");
    }
    return capabilities;
  }
}
