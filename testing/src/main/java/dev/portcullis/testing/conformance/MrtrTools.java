package dev.portcullis.testing.conformance;

import static dev.portcullis.testing.conformance.ContentTools.noArgs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.McpRequest;
import dev.portcullis.testing.kit.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The Multi Round-Trip Request tools of SEP-2322 (input_required results, requestState, retries). */
final class MrtrTools {
  private MrtrTools() {}

  static void register(McpFixture.Builder builder) {
    builder
        .tool(noArgs("test_input_required_result_elicitation",
            "MRTR: returns InputRequiredResult with elicitation request"), request -> {
          Optional<ObjectNode> name = request.inputResponse("user_name");
          if (name.isEmpty()) {
            return Reply.inputRequired(Map.of("user_name", askString("What is your name?", "name")), null);
          }
          return Reply.text("Hello, " + field(name.get(), "name") + "!");
        })
        .tool(noArgs("test_input_required_result_sampling",
            "MRTR: returns InputRequiredResult with sampling request"), request -> {
          Optional<ObjectNode> sample = request.inputResponse("capital_question");
          if (sample.isEmpty()) {
            return Reply.inputRequired(
                Map.of("capital_question", Reply.sampling("What is the capital of France?", 100)), null);
          }
          return Reply.text("Sampling result: " + sample.get().path("content").path("text").asText("no response"));
        })
        .tool(noArgs("test_input_required_result_list_roots",
            "MRTR: returns InputRequiredResult with roots/list request"), request -> {
          Optional<ObjectNode> roots = request.inputResponse("client_roots");
          if (roots.isEmpty()) {
            return Reply.inputRequired(Map.of("client_roots", Reply.listRoots()), null);
          }
          return Reply.text("Found " + roots.get().path("roots").size() + " root(s)");
        })
        .tool(noArgs("test_input_required_result_request_state",
            "MRTR: returns InputRequiredResult with requestState"), request -> {
          Optional<ObjectNode> confirm = request.inputResponse("confirm");
          if (confirm.isPresent() && "request-state".equals(stateField(request, "kind"))
              && confirm.get().path("content").path("ok").asBoolean(false)) {
            return Reply.text("state-ok: requestState validated");
          }
          return Reply.inputRequired(Map.of("confirm", askBoolean("Please confirm", "ok")),
              state("kind", "request-state"));
        })
        .tool(noArgs("test_input_required_result_multiple_inputs",
            "MRTR: returns InputRequiredResult with multiple input requests"), request -> {
          Optional<ObjectNode> name = request.inputResponse("user_name");
          Optional<ObjectNode> greeting = request.inputResponse("greeting");
          Optional<ObjectNode> roots = request.inputResponse("client_roots");
          if (name.isPresent() && greeting.isPresent() && roots.isPresent()
              && "multiple-inputs".equals(stateField(request, "kind"))) {
            return Reply.text("Name: " + field(name.get(), "name") + "; Greeting: "
                + greeting.get().path("content").path("text").asText("Hello there!")
                + "; Roots: " + roots.get().path("roots").size());
          }
          Map<String, ObjectNode> requests = new LinkedHashMap<>();
          requests.put("user_name", askString("What is your name?", "name"));
          requests.put("greeting", Reply.sampling("Generate a greeting", 50));
          requests.put("client_roots", Reply.listRoots());
          return Reply.inputRequired(requests, state("kind", "multiple-inputs"));
        })
        .tool(noArgs("test_input_required_result_multi_round", "MRTR: multi-round InputRequiredResult workflow"),
            MrtrTools::multiRound)
        .tool(noArgs("test_input_required_result_tampered_state",
            "MRTR: integrity-protected requestState; a tampered state is refused with -32602"), request -> {
          if ("tamper-test".equals(stateField(request, "kind")) && request.inputResponse("confirm").isPresent()) {
            return Reply.text("integrity-ok: state verified");
          }
          return Reply.inputRequired(Map.of("confirm", askBoolean("Please confirm", "ok")),
              state("kind", "tamper-test"));
        })
        .tool(noArgs("test_input_required_result_capabilities",
            "MRTR: asks only for the kinds of input the client declared"), request -> {
          if (!request.inputResponses().isEmpty()) {
            return Reply.text("capabilities-ok: received " + String.join(",", keys(request.inputResponses())));
          }
          Map<String, ObjectNode> requests = new LinkedHashMap<>();
          if (request.clientSupports("elicitation")) {
            requests.put("elicit_input", askString("Elicitation input", "value"));
          }
          if (request.clientSupports("sampling")) {
            requests.put("sample_input", Reply.sampling("Sample request", 50));
          }
          if (requests.isEmpty()) {
            return Reply.text("No supported capabilities declared");
          }
          return Reply.inputRequired(requests, state("kind", "capabilities-test"));
        });
  }

  private static Reply multiRound(McpRequest request) {
    String round = stateField(request, "round");
    Optional<ObjectNode> step1 = request.inputResponse("step1");
    if ("1".equals(round) && step1.isPresent()) {
      ObjectNode state = Json.object().put("round", 2).put("name", field(step1.get(), "name"))
          .put("nonce", UUID.randomUUID().toString());
      return Reply.inputRequired(Map.of("step2", askString("Step 2: What is your favorite color?", "color")),
          Json.write(state));
    }
    Optional<ObjectNode> step2 = request.inputResponse("step2");
    if ("2".equals(round) && step2.isPresent()) {
      return Reply.text("Multi-round complete for " + stateField(request, "name") + " who likes "
          + field(step2.get(), "color"));
    }
    return Reply.inputRequired(Map.of("step1", askString("Step 1: What is your name?", "name")),
        Json.write(Json.object().put("round", 1).put("nonce", UUID.randomUUID().toString())));
  }

  static ObjectNode askString(String message, String field) {
    ObjectNode schema = Json.object().put("type", "object");
    schema.putObject("properties").putObject(field).put("type", "string");
    schema.putArray("required").add(field);
    return Reply.elicitation(message, schema);
  }

  private static ObjectNode askBoolean(String message, String field) {
    ObjectNode schema = Json.object().put("type", "object");
    schema.putObject("properties").putObject(field).put("type", "boolean");
    schema.putArray("required").add(field);
    return Reply.elicitation(message, schema);
  }

  /** A fresh requestState: a JSON object with a kind and a nonce (the kit signs it). */
  private static String state(String key, String value) {
    return Json.write(Json.object().put(key, value).put("nonce", UUID.randomUUID().toString()));
  }

  /** A field of the (verified) requestState JSON, as text; null when absent. */
  private static String stateField(McpRequest request, String field) {
    return request.requestState().map(Json::parse).map(state -> state.get(field))
        .map(JsonNode::asText).orElse(null);
  }

  /** A string field of an elicitation answer's content, or "unknown". */
  static String field(ObjectNode elicitResult, String name) {
    JsonNode value = elicitResult.path("content").get(name);
    return value != null && value.isTextual() ? value.asText() : "unknown";
  }

  private static Iterable<String> keys(ObjectNode object) {
    return object::fieldNames;
  }
}
