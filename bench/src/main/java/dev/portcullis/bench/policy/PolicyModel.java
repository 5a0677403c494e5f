package dev.portcullis.bench.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A generated policy, independent of any engine: upstreams, tools, agents, roles with grants, and cross-cutting rules.
 * {@link PortcullisYaml} and {@code CedarText} render it for each engine.
 */
record PolicyModel(List<String> upstreams, List<ToolSpec> tools, List<AgentSpec> agents, List<RoleSpec> roles,
    List<EntrySpec> rules, Set<String> customLabels) {
  PolicyModel {
    upstreams = List.copyOf(upstreams);
    tools = List.copyOf(tools);
    agents = List.copyOf(agents);
    roles = List.copyOf(roles);
    rules = List.copyOf(rules);
    customLabels = Set.copyOf(customLabels);
  }

  /** Decision effects that both engines can express (Cedar: permit, forbid, and a permit marked as approval). */
  enum Effect {
    ALLOW("allow"),
    DENY("deny"),
    REQUIRE_APPROVAL("require_approval");

    final String yaml;

    Effect(String yaml) {
      this.yaml = yaml;
    }
  }

  /** One tool: {@code <upstream>.<verb>_<noun>}, with its kind (arguments), labels and read-only hint. */
  record ToolSpec(String name, String upstream, ToolKind kind, Set<String> labels) {
    ToolSpec {
      labels = Set.copyOf(labels);
    }

    String upstreamName() {
      return name.substring(upstream.length() + 1);
    }
  }

  /** One agent with its roles and attributes ({@code region}, {@code tier}, {@code team}). */
  record AgentSpec(String id, List<String> roles, String region, long tier, String team) {
    AgentSpec {
      roles = List.copyOf(roles);
    }

    Map<String, Object> attributes() {
      return Map.of("region", region, "tier", tier, "team", team);
    }
  }

  /** A role, the roles it extends, and its grants. */
  record RoleSpec(String name, List<String> extendsRoles, List<EntrySpec> grants) {
    RoleSpec {
      extendsRoles = List.copyOf(extendsRoles);
      grants = List.copyOf(grants);
    }
  }

  /**
   * A grant (in a role) or a rule (top level).
   *
   * @param tools exact tool names and globs ({@code crm.read_*}, {@code *.delete_*}); empty when {@code toolLabel} selects
   * @param toolLabel rules only: select tools by label instead of by name
   * @param agents rules only: agent id patterns the rule is limited to (empty: everyone)
   * @param selectRoles rules only: roles the rule is limited to (empty: everyone)
   */
  record EntrySpec(String id, Effect effect, List<String> tools, Optional<String> toolLabel,
      Optional<Predicate> when, List<Tighten> args, List<String> agents, List<String> selectRoles) {
    EntrySpec {
      tools = List.copyOf(tools);
      args = List.copyOf(args);
      agents = List.copyOf(agents);
      selectRoles = List.copyOf(selectRoles);
    }
  }
}
