package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** The {@link McpRequest} the kit hands to handlers. */
final class RequestContext implements McpRequest {
  static final List<String> LEVELS =
      List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private final Call call;
  private final ObjectNode arguments;
  private final ObjectNode inputResponses;
  private final String requestState;
  private final McpFixture fixture;

  RequestContext(Call call, ObjectNode arguments, ObjectNode inputResponses, String requestState, McpFixture fixture) {
    this.call = call;
    this.arguments = arguments;
    this.inputResponses = inputResponses;
    this.requestState = requestState;
    this.fixture = fixture;
  }

  /** The same request retried with the client's answers (the 2025 bridge of an MRTR reply). */
  RequestContext retry(ObjectNode responses, String state) {
    return new RequestContext(call, arguments, responses, state, fixture);
  }

  @Override
  public String method() {
    return call.method();
  }

  @Override
  public ObjectNode params() {
    return call.params();
  }

  @Override
  public ObjectNode arguments() {
    return arguments;
  }

  @Override
  public Wire wire() {
    return call.wire();
  }

  @Override
  public String protocolVersion() {
    return call.protocolVersion();
  }

  @Override
  public ObjectNode clientCapabilities() {
    return call.clientCapabilities();
  }

  @Override
  public Optional<ObjectNode> inputResponse(String key) {
    return inputResponses.get(key) instanceof ObjectNode response ? Optional.of(response) : Optional.empty();
  }

  @Override
  public ObjectNode inputResponses() {
    return inputResponses;
  }

  @Override
  public Optional<String> requestState() {
    return Optional.ofNullable(requestState);
  }

  @Override
  public void progress(double progress, Double total, String message) {
    JsonNode token = call.params().path("_meta").get("progressToken");
    if (token == null || !(token.isTextual() || token.isIntegralNumber())) {
      return;
    }
    ObjectNode notification = Json.object().put("jsonrpc", "2.0").put("method", "notifications/progress");
    ObjectNode params = notification.putObject("params");
    params.set("progressToken", token);
    params.put("progress", progress);
    if (total != null) {
      params.put("total", total);
    }
    if (message != null) {
      params.put("message", message);
    }
    call.exchange().notify(notification);
  }

  @Override
  public void log(String level, JsonNode data) {
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("log level '" + level + "' is not one of " + LEVELS);
    }
    String threshold = call.logThreshold();
    if (threshold == null || LEVELS.indexOf(level) < LEVELS.indexOf(threshold)) {
      return;
    }
    ObjectNode notification = Json.object().put("jsonrpc", "2.0").put("method", "notifications/message");
    notification.putObject("params").put("level", level).put("logger", fixture.name()).set("data", data);
    call.exchange().notify(notification);
  }

  @Override
  public Optional<String> httpHeader(String name) {
    return call.httpHeaders() == null ? Optional.empty() : Optional.ofNullable(call.httpHeaders().apply(name));
  }

  @Override
  public McpFixture fixture() {
    return fixture;
  }
}
