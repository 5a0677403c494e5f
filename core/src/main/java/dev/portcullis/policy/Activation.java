package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelVariableResolver;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variables of one call's conditions, each built only when an expression first asks for it: most decisions need
 * no CEL at all, and most conditions read only {@code args}.
 */
final class Activation implements CelVariableResolver {
  /** The variables a compiled {@link Expr} reads. */
  enum Root {
    ARGS, AGENT, SESSION, TOOL
  }

  private final Call call;
  private final AgentView view;
  private final String targetName;
  private final String upstream;
  private final JsonNode annotations;
  private final Set<String> labelsA;
  private final Set<String> labelsB;
  private Object args;
  private Object agent;
  private Object session;
  private Object tool;
  /** The values of the iteration variables of compiled macros, by nesting depth; allocated on first use. */
  private Object[] locals;

  Activation(Call call, AgentView view, String targetName, String upstream, JsonNode annotations, Set<String> labelsA,
      Set<String> labelsB) {
    this.call = call;
    this.view = view;
    this.targetName = targetName;
    this.upstream = upstream;
    this.annotations = annotations;
    this.labelsA = labelsA;
    this.labelsB = labelsB;
  }

  @Override
  public Optional<Object> find(String name) {
    return switch (name) {
      case "args" -> Optional.of(args == null ? args = JsonViews.of(call.arguments()) : args);
      case "agent" -> Optional.of(agent == null ? agent = view.celValue(call.agent()) : agent);
      case "session" -> Optional.of(session == null ? session = sessionValue(call) : session);
      case "tool" -> Optional.of(tool == null ? tool = toolValue() : tool);
      case "now" -> Optional.of(now(call));
      default -> Optional.empty();
    };
  }

  /**
   * {@code root.key} for a compiled {@link Expr}, read where the value lives (no map is built): the argument node, the
   * agent's value cached per agent, the session's own collections.
   */
  Object field(Root root, String key, String path) {
    return switch (root) {
      case ARGS -> Values.select(call.arguments(), key, path);
      case AGENT -> view.celValue(call.agent()).get(key);
      case SESSION -> switch (key) {
        case "calls" -> call.session().calls();
        case "labels" -> call.session().labels();
        case "tools_called" -> call.session().toolsCalled();
        case "id" -> call.session().id() == null ? "" : call.session().id();
        case "started_at" -> startedAt(call);
        case "age" -> age(call, startedAt(call));
        default -> throw new EvalError(path + ": no such key '" + key + "'");
      };
      case TOOL -> switch (key) {
        case "name" -> targetName;
        case "upstream" -> upstream;
        case "annotations" -> annotations == null ? Map.of() : annotations;
        case "labels" -> toolLabels();
        default -> throw new EvalError(path + ": no such key '" + key + "'");
      };
    };
  }

  /** The call's arguments as they arrived (a JSON object, normally). */
  Object arguments() {
    return call.arguments();
  }

  /** {@code now}: when the gateway received the call. */
  Instant now() {
    return now(call);
  }

  /** The value of the iteration variable at nesting depth {@code slot}. */
  Object local(int slot) {
    return locals[slot];
  }

  /** Sets the iteration variable at nesting depth {@code slot} (a macro, for each element it visits). */
  void bind(int slot, Object value) {
    if (locals == null || slot >= locals.length) {
      locals = java.util.Arrays.copyOf(locals == null ? new Object[0] : locals, Math.max(slot + 1, 4));
    }
    locals[slot] = value;
  }

  static Instant now(Call call) {
    return call.receivedAt() == null ? Instant.now() : call.receivedAt();
  }

  static Map<String, Object> agentValue(Agent agent) {
    Map<String, Object> normalized = new HashMap<>();
    agent.attributes().forEach((k, v) -> normalized.put(k, CelValues.normalize(v)));
    Map<String, Object> attributes = java.util.Collections.unmodifiableMap(normalized);
    return Map.of(
        "id", agent.id(),
        "roles", List.copyOf(agent.roles()),
        "attributes", attributes,
        "version", agent.version(),
        "actor_chain", agent.actorChain(),
        "credential", agent.credentialId());
  }

  private static Map<String, Object> sessionValue(Call call) {
    SessionView s = call.session();
    Instant started = startedAt(call);
    return Map.of(
        "id", s.id() == null ? "" : s.id(),
        "calls", s.calls(),
        "labels", List.copyOf(s.labels()),
        "tools_called", List.copyOf(s.toolsCalled()),
        "started_at", started,
        "age", age(call, started));
  }

  /** {@code session.started_at}: when the session started, or now for a session with no start recorded. */
  private static Instant startedAt(Call call) {
    Instant started = call.session().startedAt();
    return started == null ? now(call) : started;
  }

  /** {@code session.age}: the time since {@code started}, never negative. */
  private static Duration age(Call call, Instant started) {
    Duration age = Duration.between(started, now(call));
    return age.isNegative() ? Duration.ZERO : age;
  }

  private List<String> toolLabels() {
    if (labelsB.isEmpty()) {
      return List.copyOf(labelsA);
    }
    List<String> labels = new ArrayList<>(labelsA);
    labelsB.stream().filter(l -> !labelsA.contains(l)).forEach(labels::add);
    return labels;
  }

  private Map<String, Object> toolValue() {
    List<String> labels = toolLabels();
    Object annotationValue = annotations == null ? Map.of() : CelValues.of(annotations);
    return Map.of(
        "name", targetName,
        "upstream", upstream,
        "annotations", annotationValue,
        "labels", labels);
  }
}
