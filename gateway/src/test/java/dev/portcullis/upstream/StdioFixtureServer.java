package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny stdio MCP server for tests, launched as a real process: {@code legacy} speaks 2025-11-25 (answers
 * {@code server/discover} with method-not-found), {@code modern} speaks 2026-07-28. Its tools misbehave on demand:
 * crash, hang, write garbage, flood, answer huge, ask the client things.
 *
 * <p>Like a strict 2025 server, {@code legacy} ignores requests other than {@code initialize}, {@code server/discover}
 * and {@code ping} until it has answered {@code initialize} (a client sending them early waits for its timeout); the
 * {@code early} tool counts them. With {@code FIXTURE_GATE} set to a directory, {@code initialize} waits while
 * {@code hold} exists there, after creating {@code holding-<pid>} to say it does.
 */
public final class StdioFixtureServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);
  private static final Map<Long, CompletableFuture<JsonNode>> ASKED = new ConcurrentHashMap<>();
  private static final List<JsonNode> CANCELLED = new CopyOnWriteArrayList<>();
  private static final List<JsonNode> LISTENING = new CopyOnWriteArrayList<>();
  private static final AtomicLong IDS = new AtomicLong(1000);
  private static final AtomicLong EARLY = new AtomicLong();
  private static final java.util.Set<String> BEFORE_HANDSHAKE = java.util.Set.of("initialize", "server/discover",
      "ping");
  private static volatile boolean initialized;
  private static boolean modern;

  public static void main(String[] args) throws Exception {
    modern = args.length > 0 && args[0].equals("modern");
    boolean stubborn = args.length > 0 && args[0].equals("stubborn");
    if (stubborn) {
      // Ignores stdin closing and SIGTERM alike: only SIGKILL ends it.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> sleep(60_000)));
    }
    System.err.println("fixture starting in " + (modern ? "modern" : "legacy") + " mode");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      JsonNode message = JSON.readTree(line);
      if (message.has("method") && message.has("id")) {
        String method = message.path("method").asText();
        if (!modern && !initialized && !BEFORE_HANDSHAKE.contains(method)) {
          EARLY.incrementAndGet();
          System.err.println("fixture: ignored " + method + " sent before initialize");
          continue;
        }
        Thread.startVirtualThread(() -> handle(message));
      } else if (message.has("method")) {
        if (message.path("method").asText().equals("notifications/cancelled")) {
          CANCELLED.add(message.path("params").path("requestId"));
        }
      } else {
        CompletableFuture<JsonNode> waiting = ASKED.remove(message.path("id").asLong());
        if (waiting != null) {
          waiting.complete(message);
        }
      }
    }
    System.err.println("fixture: stdin closed, exiting");
    if (stubborn) {
      sleep(60_000);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits while the test holds this process's handshake (see the class comment). */
  private static void holdHandshake() throws Exception {
    String gate = System.getenv("FIXTURE_GATE");
    if (gate == null) {
      return;
    }
    java.nio.file.Path hold = java.nio.file.Path.of(gate, "hold");
    if (java.nio.file.Files.exists(hold)) {
      java.nio.file.Files.createFile(java.nio.file.Path.of(gate, "holding-" + ProcessHandle.current().pid()));
    }
    while (java.nio.file.Files.exists(hold)) {
      Thread.sleep(10);
    }
  }

  private static void handle(JsonNode request) {
    JsonNode id = request.get("id");
    JsonNode params = request.path("params");
    try {
      switch (request.path("method").asText()) {
        case "server/discover" -> {
          if (!modern) {
            error(id, -32601, "Method not found");
            return;
          }
          ObjectNode result = JSON.createObjectNode().put("resultType", "complete");
          result.putArray("supportedVersions").add("2026-07-28");
          result.putObject("capabilities").putObject("tools").put("listChanged", true);
          result.putObject("_meta").putObject("io.modelcontextprotocol/serverInfo").put("name", "fixture")
              .put("version", "1");
          respond(id, result);
        }
        case "initialize" -> {
          if (modern) {
            error(id, -32601, "initialize is not supported: use 2026-07-28");
            return;
          }
          ObjectNode result = JSON.createObjectNode().put("protocolVersion", "2025-11-25");
          result.putObject("capabilities").putObject("tools").put("listChanged", true);
          result.putObject("serverInfo").put("name", "fixture").put("version", "1");
          result.put("instructions", "use the echo tool");
          holdHandshake();
          // Set before the answer goes out: the client may send its next request as soon as it reads it.
          initialized = true;
          respond(id, result);
        }
        case "subscriptions/listen" -> {
          LISTENING.add(id);
          ObjectNode ack = notification("notifications/subscriptions/acknowledged");
          ((ObjectNode) ack.get("params")).putObject("_meta").set("io.modelcontextprotocol/subscriptionId", id);
          ((ObjectNode) ack.get("params")).set("notifications", params.path("notifications"));
          write(ack);
        }
        case "tools/list" -> toolsList(id, params);
        case "tools/call" -> call(id, params);
        default -> error(id, -32601, "Method not found: " + request.path("method").asText());
      }
    } catch (Exception e) {
      error(id, -32603, e.toString());
    }
  }

  private static void toolsList(JsonNode id, JsonNode params) {
    int page = params.has("cursor") ? Integer.parseInt(params.path("cursor").asText().substring(4)) : 0;
    ObjectNode result = JSON.createObjectNode();
    ArrayNode tools = result.putArray("tools");
    for (int i = 0; i < 2; i++) {
      tools.addObject().put("name", "tool" + (page * 2 + i)).putObject("inputSchema").put("type", "object");
    }
    if (page < 2) {
      result.put("nextCursor", "page" + (page + 1));
    }
    respond(id, result);
  }

  private static void call(JsonNode id, JsonNode params) throws Exception {
    JsonNode args = params.path("arguments");
    switch (params.path("name").asText()) {
      case "echo" -> {
        ObjectNode result = text(args.path("text").asText());
        result.set("structuredContent", params.path("_meta"));
        respond(id, result);
      }
      case "crash" -> {
        System.err.println("about to crash: " + args.path("reason").asText("asked to"));
        System.err.flush();
        Runtime.getRuntime().halt(3);
      }
      case "hang" -> { }
      case "slow" -> {
        Thread.sleep(args.path("ms").asLong(100));
        respond(id, text("slept"));
      }
      case "garbage" -> {
        synchronized (OUT) {
          OUT.print("this is not json {\n\n[1,2,3]\n");
          OUT.flush();
        }
        respond(id, text("after garbage"));
      }
      case "large" -> respond(id, text("x".repeat(args.path("bytes").asInt())));
      case "progress" -> {
        JsonNode token = params.path("_meta").path("progressToken");
        for (int i = 1; i <= 5; i++) {
          ObjectNode n = notification("notifications/progress");
          ((ObjectNode) n.get("params")).put("progress", i).put("total", 5).set("progressToken", token);
          write(n);
        }
        respond(id, text("progressed"));
      }
      case "flood" -> {
        for (int i = 0; i < args.path("count").asInt(); i++) {
          ObjectNode n = notification("notifications/message");
          ((ObjectNode) n.get("params")).put("level", "info").put("data", "flood " + i);
          write(n);
        }
        respond(id, text("flooded"));
      }
      case "ask" -> {
        JsonNode answer = ask(args.path("method").asText(), args.path("params"));
        ObjectNode result = text("asked");
        result.set("structuredContent", answer);
        respond(id, result);
      }
      case "change" -> {
        for (JsonNode listener : LISTENING) {
          ObjectNode n = notification("notifications/tools/list_changed");
          ((ObjectNode) n.get("params")).putObject("_meta").set("io.modelcontextprotocol/subscriptionId", listener);
          write(n);
        }
        if (!modern) {
          write(notification("notifications/tools/list_changed"));
        }
        respond(id, text("changed"));
      }
      case "cancelled" -> {
        ObjectNode result = text("cancelled ids");
        result.putObject("structuredContent").set("ids", JSON.valueToTree(CANCELLED));
        respond(id, result);
      }
      case "env" -> respond(id, text(String.valueOf(System.getenv(args.path("name").asText()))));
      case "pid" -> respond(id, text(String.valueOf(ProcessHandle.current().pid())));
      case "early" -> respond(id, text(String.valueOf(EARLY.get())));
      default -> error(id, -32602, "Unknown tool: " + params.path("name").asText());
    }
  }

  private static JsonNode ask(String method, JsonNode params) throws Exception {
    long askId = IDS.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    ASKED.put(askId, answer);
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", askId).put("method", method);
    request.set("params", params);
    write(request);
    return answer.get();
  }

  private static ObjectNode text(String text) {
    ObjectNode result = JSON.createObjectNode();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  private static ObjectNode notification(String method) {
    ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    n.putObject("params");
    return n;
  }

  private static void respond(JsonNode id, ObjectNode result) {
    if (modern) {
      result.put("resultType", "complete");
    }
    ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("result", result);
    write(response);
  }

  private static void error(JsonNode id, int code, String message) {
    ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
    response.set("id", id);
    response.putObject("error").put("code", code).put("message", message);
    write(response);
  }

  private static void write(JsonNode message) {
    try {
      String line = JSON.writeValueAsString(message);
      synchronized (OUT) {
        OUT.print(line);
        OUT.print('\n');
        OUT.flush();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
