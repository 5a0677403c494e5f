package dev.portcullis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.testing.NodePeers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an official TypeScript SDK client ({@code testing/js/clients/sdk-client.mjs}) against an MCP endpoint:
 * build a plan of steps, run it in Node 22, read back what each step returned. The JUnit test asserts on the JSON.
 */
final class SdkClient {
  /** Which SDK and wire. */
  enum Sdk {
    /** {@code @modelcontextprotocol/client} v2, pinned to 2026-07-28 (stateless). */
    V2("v2"),
    /** {@code @modelcontextprotocol/sdk} v1, 2025-11-25 (stateful). */
    V1("v1");

    final String flag;

    Sdk(String flag) {
      this.flag = flag;
    }
  }

  private final ObjectNode plan = Json.object();
  private final ArrayNode steps = plan.putArray("steps");

  private SdkClient(Sdk sdk) {
    plan.put("sdk", sdk.flag);
  }

  static SdkClient http(Sdk sdk, URI url, String key) {
    SdkClient client = new SdkClient(sdk);
    client.plan.put("url", url.toString());
    if (key != null) {
      client.plan.put("key", key);
    }
    return client;
  }

  /** Reuses a 2025 session id instead of initializing (v1 over HTTP). */
  SdkClient sessionId(String id) {
    plan.put("sessionId", id);
    return this;
  }

  /** Leaves the 2025 session open at the end (no DELETE), so another client can try to use it. */
  SdkClient keepOpen() {
    plan.put("keepOpen", true);
    return this;
  }

  SdkClient listTools() {
    steps.addObject().put("op", "listTools");
    return this;
  }

  SdkClient call(String tool, String argumentsJson) {
    steps.addObject().put("op", "callTool").put("name", tool).set("arguments", parse(argumentsJson));
    return this;
  }

  SdkClient callWithMeta(String tool, String argumentsJson, String metaJson) {
    steps.addObject().put("op", "callTool").put("name", tool).<ObjectNode>set("arguments", parse(argumentsJson))
        .set("meta", parse(metaJson));
    return this;
  }

  SdkClient readResource(String uri) {
    steps.addObject().put("op", "readResource").put("uri", uri);
    return this;
  }

  static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  /** Runs the plan; fails the test when Node does not report within two minutes. */
  Run run() throws IOException, InterruptedException {
    Path node = NodePeers.node();
    Path script = NodePeers.file("clients/sdk-client.mjs");
    Path log = Files.createTempFile("sdk-client", ".err");
    Process process = new ProcessBuilder(node.toString(), script.toString(), Json.MAPPER.writeValueAsString(plan))
        .redirectError(log.toFile()).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("sdk-client.mjs did not finish; stderr:\n" + Files.readString(log));
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    String stderr = Files.readString(log);
    Files.deleteIfExists(log);
    if (text.isEmpty()) {
      throw new AssertionError("sdk-client.mjs printed nothing (exit " + process.exitValue() + "); stderr:\n" + stderr);
    }
    String last = text.substring(text.lastIndexOf('\n') + 1);
    return new Run((ObjectNode) parse(last), stderr);
  }

  /** What the client reported. */
  record Run(ObjectNode json, String stderr) {
    boolean connected() {
      return json.path("connected").asBoolean();
    }

    /** The connection error, when connecting failed. */
    JsonNode error() {
      return json.path("error");
    }

    String sessionId() {
      return json.path("sessionId").asText(null);
    }

    JsonNode step(int index) {
      JsonNode step = json.path("steps").path(index);
      if (step.isMissingNode()) {
        throw new AssertionError("no step " + index + " in the client's report: " + json + "\nstderr:\n" + stderr);
      }
      return step;
    }

    /** The result of a step that succeeded; fails with the report when it threw. */
    JsonNode result(int index) {
      JsonNode step = step(index);
      if (!step.path("ok").asBoolean()) {
        throw new AssertionError("step " + index + " failed: " + step + "\nstderr:\n" + stderr);
      }
      return step.path("result");
    }

    /** The error of a step that threw; fails when it succeeded. */
    JsonNode failure(int index) {
      JsonNode step = step(index);
      if (step.path("ok").asBoolean()) {
        throw new AssertionError("step " + index + " succeeded, expected an error: " + step);
      }
      return step.path("error");
    }

    /** Tool names from a {@code listTools} step, in order. */
    List<String> toolNames(int index) {
      List<String> names = new java.util.ArrayList<>();
      result(index).path("tools").forEach(t -> names.add(t.path("name").asText()));
      return names;
    }

    /** The concatenated text content of a {@code callTool} step's result. */
    String text(int index) {
      StringBuilder text = new StringBuilder();
      result(index).path("content").forEach(c -> text.append(c.path("text").asText("")));
      return text.toString();
    }
  }
}
