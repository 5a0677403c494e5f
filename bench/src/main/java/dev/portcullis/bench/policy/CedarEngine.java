package dev.portcullis.bench.policy;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.bench.policy.PolicyModel.AgentSpec;
import dev.portcullis.bench.policy.PolicyModel.RoleSpec;
import dev.portcullis.bench.policy.PolicyModel.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Cedar side of the comparison, through cedar-java's {@link BasicAuthorizationEngine} with the policy set cached in
 * the native library ({@link PolicySet#cache()}), so a decision sends only the request and its entities across JNI.
 * Each request carries the smallest entity slice that decides it (the agent, its roles with their parents, the tool),
 * which is the most favourable way to call Cedar.
 */
final class CedarEngine {
  private static final EntityTypeName AGENT = EntityTypeName.parse("Agent").orElseThrow();
  private static final EntityTypeName ROLE = EntityTypeName.parse("Role").orElseThrow();
  private static final EntityTypeName TOOL = EntityTypeName.parse("Tool").orElseThrow();
  static final EntityUID CALL = EntityTypeName.parse("Action").orElseThrow().of("call");

  private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
  private final PolicySet policies;
  private final Set<String> approvalIds;
  private final Map<String, Set<Entity>> agentSlices = new HashMap<>();
  private final Map<String, Entity> tools = new HashMap<>();

  CedarEngine(PolicyModel model, Map<String, String> sources) {
    Set<Policy> set = new LinkedHashSet<>();
    sources.forEach((id, src) -> set.add(new Policy(src, id)));
    this.policies = new PolicySet(set);
    try {
      policies.cache();
    } catch (CacheException e) {
      throw new IllegalStateException("Cedar could not cache the generated policy set: " + e.getMessage(), e);
    }
    Set<String> approvals = new HashSet<>();
    model.roles().forEach(r -> r.grants().stream().filter(g -> g.effect() == PolicyModel.Effect.REQUIRE_APPROVAL)
        .forEach(g -> approvals.add(g.id())));
    model.rules().stream().filter(g -> g.effect() == PolicyModel.Effect.REQUIRE_APPROVAL)
        .forEach(g -> approvals.add(g.id()));
    this.approvalIds = Set.copyOf(approvals);
    Map<String, RoleSpec> roles = new HashMap<>();
    model.roles().forEach(r -> roles.put(r.name(), r));
    for (AgentSpec agent : model.agents()) {
      Set<Entity> slice = new HashSet<>();
      Map<String, Value> attrs = new HashMap<>();
      attrs.put("name", new PrimString(agent.id()));
      attrs.put("region", new PrimString(agent.region()));
      attrs.put("tier", new PrimLong(agent.tier()));
      attrs.put("team", new PrimString(agent.team()));
      Set<EntityUID> parents = new HashSet<>();
      agent.roles().forEach(r -> parents.add(ROLE.of(r)));
      slice.add(new Entity(AGENT.of(agent.id()), attrs, parents));
      Set<String> closure = new LinkedHashSet<>();
      agent.roles().forEach(r -> closeRoles(r, roles, closure));
      for (String r : closure) {
        Set<EntityUID> extended = new HashSet<>();
        roles.get(r).extendsRoles().forEach(p -> extended.add(ROLE.of(p)));
        slice.add(new Entity(ROLE.of(r), new HashMap<>(), extended));
      }
      agentSlices.put(agent.id(), Set.copyOf(slice));
    }
    for (ToolSpec tool : model.tools()) {
      Map<String, Value> attrs = new HashMap<>();
      attrs.put("name", new PrimString(tool.name()));
      attrs.put("upstream", new PrimString(tool.upstream()));
      attrs.put("labels", new CedarList(tool.labels().stream().sorted().map(l -> (Value) new PrimString(l)).toList()));
      attrs.put("readOnly", new PrimBool(tool.kind().readOnly));
      tools.put(tool.name(), new Entity(TOOL.of(tool.name()), attrs, new HashSet<>()));
    }
  }

  private static void closeRoles(String role, Map<String, RoleSpec> roles, Set<String> into) {
    if (into.add(role)) {
      roles.get(role).extendsRoles().forEach(p -> closeRoles(p, roles, into));
    }
  }

  /** The request and entity slice for one call, built once so the benchmark measures only the decision. */
  Scenario.CedarCall prepare(String agent, String tool, JsonNode arguments, Set<String> labels, List<String> called,
      long calls) {
    Map<String, Value> session = new HashMap<>();
    session.put("labels", strings(labels));
    session.put("tools_called", strings(called));
    session.put("calls", new PrimLong(calls));
    Map<String, Value> context = new HashMap<>();
    context.put("args", value(arguments));
    context.put("session", new CedarMap(session));
    Set<Entity> entities = new HashSet<>(agentSlices.get(agent));
    entities.add(tools.get(tool));
    AuthorizationRequest request = new AuthorizationRequest(AGENT.of(agent), CALL, TOOL.of(tool), context);
    return new Scenario.CedarCall(request, new Entities(entities));
  }

  /** Cedar's decision, with Portcullis' precedence applied to approval policies. */
  Scenario.Outcome decide(Scenario.CedarCall call) {
    AuthorizationResponse response;
    try {
      response = engine.isAuthorized(call.request(), policies, call.entities());
    } catch (AuthException e) {
      throw new IllegalStateException("Cedar failed: " + e.getMessage(), e);
    }
    AuthorizationSuccessResponse success = response.success.orElseThrow(() ->
        new IllegalStateException("Cedar failed: " + response.errors));
    if (!success.isAllowed()) {
      return Scenario.Outcome.DENY;
    }
    for (String id : success.getReason()) {
      if (approvalIds.contains(id)) {
        return Scenario.Outcome.NEEDS_APPROVAL;
      }
    }
    return Scenario.Outcome.ALLOW;
  }

  /** Policy ids whose evaluation raised an error for this call (should be none: requests carry every argument). */
  List<String> errors(Scenario.CedarCall call) {
    try {
      AuthorizationResponse response = engine.isAuthorized(call.request(), policies, call.entities());
      List<String> out = new ArrayList<>();
      response.success.ifPresent(s -> s.getErrors().forEach(e -> out.add(e.getPolicyId() + ": " + e.getError())));
      return out;
    } catch (AuthException e) {
      return List.of(e.getMessage());
    }
  }

  private static Value strings(Iterable<String> values) {
    List<Value> out = new ArrayList<>();
    values.forEach(v -> out.add(new PrimString(v)));
    return new CedarList(out);
  }

  private static Value value(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Value> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), value(e.getValue()));
        }
        yield new CedarMap(map);
      }
      case ARRAY -> {
        List<Value> list = new ArrayList<>();
        node.forEach(item -> list.add(value(item)));
        yield new CedarList(list);
      }
      case NUMBER -> new PrimLong(node.longValue());
      case BOOLEAN -> new PrimBool(node.booleanValue());
      default -> new PrimString(node.asText());
    };
  }
}
