package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Routes a request to the catalog, runs the MRTR loop, and shapes results for the wire they go out on. */
final class Dispatcher {
  private static final Set<String> CACHEABLE =
      Set.of("server/discover", "tools/list", "prompts/list", "resources/list", "resources/templates/list");
  private static final Map<String, String> INPUT_CAPABILITY =
      Map.of("elicitation/create", "elicitation", "sampling/createMessage", "sampling", "roots/list", "roots");
  private static final int MAX_ROUNDS = 8;

  private final McpFixture fixture;
  private final Catalog catalog;
  private final StateSigner signer = new StateSigner();

  Dispatcher(McpFixture fixture, Catalog catalog) {
    this.fixture = fixture;
    this.catalog = catalog;
  }

  record Initialized(Session session, ObjectNode result) {}

  /** Answers a 2025-wire {@code initialize}: negotiates the version and opens a session. */
  Initialized initialize(ObjectNode params) {
    JsonNode requested = params.get("protocolVersion");
    if (requested == null || !requested.isTextual()) {
      throw McpError.invalidParams("initialize needs params.protocolVersion, e.g. \"2025-11-25\"");
    }
    String version = Wire.STATEFUL.versions().contains(requested.asText()) ? requested.asText()
        : Wire.STATEFUL.latest();
    ObjectNode capabilities = params.get("capabilities") instanceof ObjectNode caps ? caps : Json.object();
    Session session = new Session(UUID.randomUUID().toString(), version, capabilities);
    ObjectNode result = Json.object().put("protocolVersion", version);
    result.set("capabilities", capabilities());
    result.set("serverInfo", serverInfo());
    fixture.instructions().ifPresent(text -> result.put("instructions", text));
    return new Initialized(session, result);
  }

  /** Serves one request; throws {@link McpError} for a JSON-RPC error. */
  ObjectNode dispatch(Call call) {
    boolean stateless = call.wire() == Wire.STATELESS;
    ObjectNode result = switch (call.method()) {
      case "tools/list" -> list("tools", catalog.toolDefinitions());
      case "prompts/list" -> list("prompts", catalog.promptDefinitions());
      case "resources/list" -> list("resources", catalog.resourceDefinitions());
      case "resources/templates/list" -> list("resourceTemplates", catalog.templateDefinitions());
      case "tools/call" -> callTool(call);
      case "prompts/get" -> getPrompt(call);
      case "resources/read" -> readResource(call);
      case "completion/complete" -> complete(call);
      case "server/discover" -> {
        if (!stateless) {
          throw McpError.methodNotFound("server/discover (a 2026-07-28 method; this session speaks "
              + call.protocolVersion() + ")");
        }
        yield discover();
      }
      case "ping" -> {
        requireStateful(call);
        yield Json.object();
      }
      case "logging/setLevel" -> {
        requireStateful(call);
        yield setLevel(call);
      }
      case "resources/subscribe", "resources/unsubscribe" -> {
        requireStateful(call);
        yield subscribe(call);
      }
      default -> throw McpError.methodNotFound(call.method());
    };
    return stateless ? decorate(call.method(), result) : result;
  }

  ObjectNode capabilities() {
    ObjectNode caps = Json.object();
    if (!catalog.tools.isEmpty()) {
      caps.putObject("tools").put("listChanged", true);
    }
    if (!catalog.prompts.isEmpty()) {
      caps.putObject("prompts").put("listChanged", true);
    }
    if (!catalog.resources.isEmpty() || !catalog.templates.isEmpty()) {
      caps.putObject("resources").put("subscribe", true).put("listChanged", true);
    }
    caps.putObject("logging");
    if (!catalog.prompts.isEmpty() || !catalog.templates.isEmpty()) {
      caps.putObject("completions");
    }
    return caps;
  }

  ObjectNode serverInfo() {
    return Json.object().put("name", fixture.name()).put("version", fixture.version());
  }

  private ObjectNode discover() {
    ObjectNode result = Json.object();
    Wire.STATELESS.versions().forEach(result.putArray("supportedVersions")::add);
    result.set("capabilities", capabilities());
    fixture.instructions().ifPresent(text -> result.put("instructions", text));
    return result;
  }

  /** 2026 shaping: resultType on every result, caching hints on cacheable ones, serverInfo in _meta. */
  private ObjectNode decorate(String method, ObjectNode result) {
    if (!result.has("resultType")) {
      result.put("resultType", "complete");
    }
    if (CACHEABLE.contains(method)) {
      if (!result.has("ttlMs")) {
        result.put("ttlMs", 60_000);
      }
      if (!result.has("cacheScope")) {
        result.put("cacheScope", "public");
      }
    } else if (method.equals("resources/read") && "complete".equals(result.path("resultType").asText())) {
      if (!result.has("ttlMs")) {
        result.put("ttlMs", 0);
      }
      if (!result.has("cacheScope")) {
        result.put("cacheScope", "private");
      }
    }
    ObjectNode meta = result.get("_meta") instanceof ObjectNode m ? m : result.putObject("_meta");
    meta.set("io.modelcontextprotocol/serverInfo", serverInfo());
    return result;
  }

  private static ObjectNode list(String field, ArrayNode items) {
    ObjectNode result = Json.object();
    result.set(field, items.deepCopy());
    return result;
  }

  private ObjectNode callTool(Call call) {
    String name = requireString(call.params(), "name", "tools/call");
    Catalog.ToolEntry tool = catalog.tools.get(name);
    if (tool == null) {
      throw McpError.invalidParams("Unknown tool: '" + name + "'; tools/list names the tools this server has");
    }
    ObjectNode arguments = objectParam(call.params(), "arguments", "tools/call");
    List<String> problems = tool.validate(arguments);
    if (!problems.isEmpty()) {
      return toResult(call, Reply.toolError("Invalid arguments for tool '" + name + "': "
          + String.join("; ", problems)));
    }
    Reply reply;
    try {
      reply = run(call, tool.handler(), arguments);
    } catch (McpError e) {
      throw e;
    } catch (RuntimeException e) {
      reply = Reply.toolError(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return toResult(call, reply);
  }

  private ObjectNode getPrompt(Call call) {
    String name = requireString(call.params(), "name", "prompts/get");
    Catalog.PromptEntry prompt = catalog.prompts.get(name);
    if (prompt == null) {
      throw McpError.invalidParams("Unknown prompt: '" + name + "'; prompts/list names the prompts this server has");
    }
    ObjectNode arguments = objectParam(call.params(), "arguments", "prompts/get");
    for (JsonNode argument : prompt.definition().path("arguments")) {
      String argName = argument.path("name").asText();
      if (argument.path("required").asBoolean(false) && !arguments.path(argName).isTextual()) {
        throw McpError.invalidParams("prompt '" + name + "' requires the string argument '" + argName + "'");
      }
    }
    return toResult(call, runGuarded(call, prompt.handler(), arguments));
  }

  private ObjectNode readResource(Call call) {
    String uri = requireString(call.params(), "uri", "resources/read");
    Catalog.ResourceEntry resource = catalog.resources.get(uri);
    if (resource != null) {
      return toResult(call, runGuarded(call, resource.handler(), Json.object()));
    }
    for (Catalog.TemplateEntry template : catalog.templates) {
      Optional<ObjectNode> variables = template.match(uri);
      if (variables.isPresent()) {
        return toResult(call, runGuarded(call, template.handler(), variables.get()));
      }
    }
    ObjectNode data = Json.object().put("uri", uri);
    throw new McpError(McpError.INVALID_PARAMS, "Resource not found: " + uri, data);
  }

  private ObjectNode complete(Call call) {
    JsonNode ref = call.params().get("ref");
    JsonNode argument = call.params().get("argument");
    if (ref == null || !ref.isObject() || argument == null || !argument.isObject()) {
      throw McpError.invalidParams("completion/complete needs params.ref and params.argument objects");
    }
    if (catalog.completion != null) {
      return toResult(call, runGuarded(call, catalog.completion, (ObjectNode) argument));
    }
    ObjectNode result = Json.object();
    result.putObject("completion").put("total", 0).put("hasMore", false).putArray("values");
    return result;
  }

  private ObjectNode setLevel(Call call) {
    String level = requireString(call.params(), "level", "logging/setLevel");
    if (!RequestContext.LEVELS.contains(level)) {
      throw McpError.invalidParams("log level '" + level + "' is not one of " + RequestContext.LEVELS);
    }
    if (call.session() != null) {
      call.session().logLevel(level);
    }
    return Json.object();
  }

  private ObjectNode subscribe(Call call) {
    String uri = requireString(call.params(), "uri", call.method());
    if (call.session() != null) {
      if (call.method().equals("resources/subscribe")) {
        call.session().subscribedUris.add(uri);
      } else {
        call.session().subscribedUris.remove(uri);
      }
    }
    return Json.object();
  }

  private static void requireStateful(Call call) {
    if (call.wire() == Wire.STATELESS) {
      throw McpError.methodNotFound(call.method() + " (removed in 2026-07-28: the wire is stateless)");
    }
  }

  private Reply runGuarded(Call call, Handler handler, ObjectNode arguments) {
    try {
      return run(call, handler, arguments);
    } catch (McpError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new McpError(McpError.INTERNAL_ERROR, "handler for " + call.method() + " failed: " + e.getMessage());
    }
  }

  /**
   * Calls the handler. On the 2026 wire an InputRequired reply goes back to the client; on the 2025 wire the kit
   * asks the client itself (server-to-client requests) and calls the handler again with the answers.
   */
  private Reply run(Call call, Handler handler, ObjectNode arguments) {
    ObjectNode responses = inputResponses(call.params());
    String state = requestState(call.params());
    RequestContext context = new RequestContext(call, arguments, responses, state, fixture);
    Reply reply = handler.handle(context);
    int rounds = 0;
    while (reply instanceof Reply.InputRequired input) {
      checkCapabilities(call, input.inputRequests());
      if (call.wire() == Wire.STATELESS) {
        return reply;
      }
      if (++rounds > MAX_ROUNDS) {
        throw new McpError(McpError.INTERNAL_ERROR, call.method() + " still needed input after " + MAX_ROUNDS
            + " rounds; the handler never completes");
      }
      // All input requests go out at once, each under its MRTR key as the request id, as a client would see them in
      // one InputRequiredResult; the answers are gathered before the handler runs again.
      ObjectNode answers = Json.object();
      Map<String, Future<ObjectNode>> pending = new LinkedHashMap<>();
      try (ExecutorService asks = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Map.Entry<String, JsonNode> entry : input.inputRequests().properties()) {
          JsonNode request = entry.getValue();
          ObjectNode params = request.get("params") instanceof ObjectNode p ? p.deepCopy() : Json.object();
          pending.put(entry.getKey(), asks.submit(() -> call.exchange().ask(request.path("method").asText(), params,
              entry.getKey())));
        }
        for (Map.Entry<String, Future<ObjectNode>> entry : pending.entrySet()) {
          answers.set(entry.getKey(), answer(entry.getValue()));
        }
      }
      context = context.retry(answers, input.requestState().orElse(null));
      reply = handler.handle(context);
    }
    return reply;
  }

  private static ObjectNode answer(Future<ObjectNode> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof McpError error) {
        throw error;
      }
      throw new McpError(McpError.INTERNAL_ERROR, "asking the client failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new McpError(McpError.INTERNAL_ERROR, "interrupted while waiting for the client's answers");
    }
  }

  private static void checkCapabilities(Call call, ObjectNode inputRequests) {
    for (JsonNode request : inputRequests) {
      String method = request.path("method").asText();
      String capability = INPUT_CAPABILITY.get(method);
      if (capability == null) {
        throw new McpError(McpError.INTERNAL_ERROR, "handler asked for input with '" + method
            + "'; only elicitation/create, sampling/createMessage and roots/list are input requests");
      }
      if (!call.clientCapabilities().has(capability)) {
        throw McpError.missingCapability(capability, call.method() + " needs " + method + " from the client");
      }
    }
  }

  private ObjectNode toResult(Call call, Reply reply) {
    return switch (reply) {
      case Reply.Complete complete -> complete.result().deepCopy();
      case Reply.InputRequired input -> {
        ObjectNode result = Json.object().put("resultType", "input_required");
        if (!input.inputRequests().isEmpty()) {
          result.set("inputRequests", input.inputRequests());
        }
        input.requestState().ifPresent(state -> result.put("requestState", signer.sign(state)));
        yield result;
      }
    };
  }

  private static ObjectNode inputResponses(ObjectNode params) {
    if (!params.has("inputResponses")) {
      return Json.object();
    }
    JsonNode responses = params.get("inputResponses");
    if (!(responses instanceof ObjectNode object)) {
      throw McpError.invalidParams("Invalid params: inputResponses must be an object mapping the keys of "
          + "inputRequests to the client's results");
    }
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      if (!entry.getValue().isObject()) {
        throw McpError.invalidParams("Invalid params: inputResponses['" + entry.getKey()
            + "'] must be the client's result object, got " + entry.getValue().getNodeType());
      }
    }
    return object;
  }

  private String requestState(ObjectNode params) {
    if (!params.has("requestState")) {
      return null;
    }
    JsonNode token = params.get("requestState");
    if (!token.isTextual()) {
      throw McpError.invalidParams("Invalid params: requestState must be the string the server handed out");
    }
    return signer.verify(token.asText()).orElseThrow(() -> McpError.invalidParams(
        "Invalid params: requestState failed its integrity check (altered or from another server); "
            + "retry the request without requestState and inputResponses"));
  }

  private static String requireString(ObjectNode params, String field, String method) {
    JsonNode value = params.get(field);
    if (value == null || !value.isTextual()) {
      throw McpError.invalidParams("Invalid params: " + method + " needs the string params." + field);
    }
    return value.asText();
  }

  private static ObjectNode objectParam(ObjectNode params, String field, String method) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return Json.object();
    }
    if (!(value instanceof ObjectNode object)) {
      throw McpError.invalidParams("Invalid params: " + method + " params." + field + " must be an object, got "
          + value.getNodeType());
    }
    return object;
  }
}
