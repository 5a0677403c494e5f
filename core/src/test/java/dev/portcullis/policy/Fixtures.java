package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.SessionView;
import dev.portcullis.model.Tool;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Small builders for tests: tools, calls and sessions without a gateway. */
final class Fixtures {
  static final Instant TUESDAY_10_BERLIN = Instant.parse("2026-03-03T09:00:00Z");
  static final Instant SUNDAY_NIGHT_BERLIN = Instant.parse("2026-03-01T22:00:00Z");

  /** Agent {@code bot} (role {@code worker}) may call every tool: the policy behind condition tests' calls. */
  static final Policy BOT_MAY_CALL_ANYTHING = PolicyLoader.fromText("bot.yaml", """
      version: 1
      agents:
        bot: { roles: [worker] }
      roles:
        worker:
          grants:
            - id: all
              tools: ["*"]
      """);

  private Fixtures() {}

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Tool tool(String name) {
    return tool(name, "{\"type\":\"object\"}");
  }

  static Tool tool(String name, String inputSchema) {
    return tool(name, inputSchema, Set.of());
  }

  static Tool tool(String name, String inputSchema, Set<String> labels) {
    ObjectNode def = Json.object();
    int dot = name.indexOf('.');
    def.put("name", name.substring(dot + 1));
    def.set("inputSchema", json(inputSchema));
    return new Tool(name, name.substring(0, dot), name.substring(dot + 1), def, labels,
        Integer.toHexString((name + inputSchema).hashCode()));
  }

  static Session session(String... toolsCalled) {
    return new Session(Set.of(), List.of(toolsCalled));
  }

  static Session labels(String... labels) {
    return new Session(Set.of(labels), List.of());
  }

  record Session(Set<String> labels, List<String> toolsCalled) implements SessionView {
    @Override
    public String id() {
      return "s1";
    }

    @Override
    public Instant startedAt() {
      return TUESDAY_10_BERLIN.minusSeconds(60);
    }

    @Override
    public long calls() {
      return toolsCalled.size();
    }
  }

  static Call call(Agent agent, String target, String arguments) {
    return call(agent, target, arguments, session(), TUESDAY_10_BERLIN);
  }

  static Call call(Agent agent, String target, String arguments, SessionView session, Instant at) {
    ObjectNode params = Json.object();
    params.put("name", target);
    params.set("arguments", json(arguments));
    return new Call("1", agent, session, "tools/call", target, json(arguments), params, "2026-07-28", Json.object(),
        at);
  }

  static Agent agent(Policy policy, String id) {
    return policy.agent(id, "test-credential").orElseThrow();
  }
}
