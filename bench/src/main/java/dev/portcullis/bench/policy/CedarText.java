package dev.portcullis.bench.policy;

import dev.portcullis.bench.policy.PolicyModel.EntrySpec;
import dev.portcullis.bench.policy.PolicyModel.RoleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link PolicyModel} as Cedar policies, one per grant and rule, keyed by the same ids Portcullis uses.
 *
 * <p>The mapping (documented in docs/benchmarks.md): agents are {@code Agent} entities whose parents are the roles they
 * hold; a role's {@code extends} are its parents, so {@code principal in Role::"r"} is Portcullis' effective-role
 * test. Tools are {@code Tool} entities with {@code name}, {@code upstream}, {@code labels} and {@code readOnly}. The
 * single action is {@code Action::"call"}. The call's arguments and session are the context ({@code context.args},
 * {@code context.session.labels}, {@code .tools_called}, {@code .calls}). An allow grant is a {@code permit}, a deny
 * grant or rule a {@code forbid}, a {@code require_approval} grant or rule a {@code permit} whose id is listed as an
 * approval policy: Cedar allows, and the caller turns an allow whose reasons include an approval policy into "needs
 * approval", which is Portcullis' precedence (deny, then approval, then allow, else deny). Name globs become
 * {@code resource.name like "crm.read_*"}; tightenings and conditions join the {@code when} clause.
 */
final class CedarText {
  private CedarText() {}

  /** Policy id to Cedar source, in model order. */
  static Map<String, String> policies(PolicyModel model) {
    Map<String, String> out = new LinkedHashMap<>();
    for (RoleSpec role : model.roles()) {
      for (EntrySpec grant : role.grants()) {
        out.put(grant.id(), policy(grant, "principal in Role::" + Quote.cedar(role.name()), List.of()));
      }
    }
    for (EntrySpec rule : model.rules()) {
      List<String> selectors = new ArrayList<>();
      if (!rule.agents().isEmpty()) {
        selectors.add(rule.agents().stream().map(CedarText::agentPattern).collect(Collectors.joining(" || ")));
      }
      if (!rule.selectRoles().isEmpty()) {
        selectors.add(rule.selectRoles().stream().map(r -> "principal in Role::" + Quote.cedar(r))
            .collect(Collectors.joining(" || ")));
      }
      out.put(rule.id(), policy(rule, "principal", selectors));
    }
    return out;
  }

  private static String policy(EntrySpec e, String principal, List<String> selectors) {
    List<String> conditions = new ArrayList<>(selectors);
    String resource = "resource";
    List<String> exact = e.tools().stream().filter(t -> !t.contains("*")).toList();
    List<String> globs = e.tools().stream().filter(t -> t.contains("*")).toList();
    if (e.tools().contains("*")) {
      // every tool
    } else if (globs.isEmpty() && exact.size() == 1) {
      resource = "resource == Tool::" + Quote.cedar(exact.get(0));
    } else if (!e.tools().isEmpty()) {
      List<String> alternatives = new ArrayList<>();
      if (!exact.isEmpty()) {
        alternatives.add("resource in [" + exact.stream().map(t -> "Tool::" + Quote.cedar(t))
            .collect(Collectors.joining(", ")) + "]");
      }
      globs.forEach(g -> alternatives.add("resource.name like " + globPattern(g)));
      conditions.add(String.join(" || ", alternatives));
    }
    e.toolLabel().ifPresent(l -> conditions.add("resource.labels.contains(" + Quote.cedar(l) + ")"));
    e.args().forEach(t -> conditions.add(t.cedar()));
    e.when().ifPresent(w -> conditions.add(w.cedar()));
    String effect = e.effect() == PolicyModel.Effect.DENY ? "forbid" : "permit";
    StringBuilder s = new StringBuilder(effect).append(" (").append(principal)
        .append(", action == Action::\"call\", ").append(resource).append(")");
    if (!conditions.isEmpty()) {
      s.append("\nwhen { ").append(conditions.stream().map(c -> "(" + c + ")").collect(Collectors.joining(" && ")))
          .append(" }");
    }
    return s.append(";").toString();
  }

  private static String agentPattern(String pattern) {
    return pattern.contains("*") ? "principal.name like " + globPattern(pattern)
        : "principal == Agent::" + Quote.cedar(pattern);
  }

  /** A Portcullis name glob ({@code *} is any run of characters) as a Cedar {@code like} pattern. */
  private static String globPattern(String glob) {
    return "\"" + glob.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
