package dev.portcullis.policy;

import dev.portcullis.model.Agent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the claims of a validated access token to an agent of the policy ({@code oidc:} of each agent): the subject
 * claim picks the agent; the roles claim may add roles the agent's {@code roles_from_claim} lists, and nothing else;
 * mapped claims become attributes. Roles a token may not add are ignored and logged, never an error.
 */
final class OidcMapping {
  private static final Logger LOG = LoggerFactory.getLogger(OidcMapping.class);
  private static final int MAX_WARNINGS = 1024;

  private final RoleGraph graph;
  /** issuer → subject claim → subject → agent. */
  private final Map<String, Map<ClaimPath, Map<String, AgentSpec>>> index = new HashMap<>();
  /** Per agent with roles_from_claim: the most roles it can hold, its own and every role a token may add. */
  private final Map<String, Set<String>> ceilings = new HashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  OidcMapping(Collection<AgentSpec> agents, RoleGraph graph) {
    this.graph = graph;
    for (AgentSpec agent : agents) {
      agent.oidc().ifPresent(o -> {
        index.computeIfAbsent(o.issuer(), i -> new LinkedHashMap<>())
            .computeIfAbsent(o.subjectClaim(), c -> new HashMap<>()).put(o.subject(), agent);
        if (!o.rolesFromClaim().isEmpty()) {
          LinkedHashSet<String> ceiling = new LinkedHashSet<>(agent.effectiveRoles());
          ceiling.addAll(graph.closure(o.rolesFromClaim()));
          ceilings.put(agent.id(), Set.copyOf(ceiling));
        }
      });
    }
  }

  /** The most roles {@code agent} can hold: its effective roles plus what tokens may add. */
  Set<String> ceiling(AgentSpec agent) {
    return ceilings.getOrDefault(agent.id(), agent.effectiveRoles());
  }

  OidcMatch map(String issuer, Map<String, ?> claims, String credentialId) {
    Map<ClaimPath, Map<String, AgentSpec>> byClaim = index.get(issuer);
    if (byClaim == null) {
      return new OidcMatch.Unmapped("the token from " + issuer + " is valid, but no agent of this gateway's policy"
          + " has oidc.issuer " + issuer + "; ask an operator to add it");
    }
    AgentSpec found = null;
    for (Map.Entry<ClaimPath, Map<String, AgentSpec>> e : byClaim.entrySet()) {
      AgentSpec agent = e.getKey().read(claims) instanceof String subject ? e.getValue().get(subject) : null;
      if (agent != null && found != null && agent != found) {
        return new OidcMatch.Unmapped("the token from " + issuer + " matches both agent '" + found.id()
            + "' and agent '" + agent.id() + "' (" + looked(byClaim, claims) + "); one token must name one agent,"
            + " so ask an operator to make their oidc identities distinct");
      }
      if (agent != null) {
        found = agent;
      }
    }
    if (found == null) {
      return new OidcMatch.Unmapped("the token from " + issuer + " is valid, but no agent of this gateway's policy"
          + " has oidc: {issuer: " + issuer + ", " + looked(byClaim, claims) + "}; ask an operator to add it");
    }
    return mapped(found, issuer, claims, credentialId);
  }

  /** The subject claims of the issuer's agents as the token has them, for a refusal's message. */
  private static String looked(Map<ClaimPath, Map<String, AgentSpec>> byClaim, Map<String, ?> claims) {
    List<String> looked = new ArrayList<>();
    for (ClaimPath claim : byClaim.keySet()) {
      if (claim.read(claims) instanceof String subject) {
        looked.add(claim.equals(AgentSpec.Oidc.SUB) ? "subject: " + printable(subject)
            : "subject_claim: " + claim + ", subject: " + printable(subject));
      }
    }
    return looked.isEmpty() ? "…" : String.join("} or {", looked);
  }

  private OidcMatch mapped(AgentSpec spec, String issuer, Map<String, ?> claims, String credentialId) {
    AgentSpec.Oidc oidc = spec.oidc().orElseThrow();
    Set<String> tokenRoles = new LinkedHashSet<>();
    List<String> ignored = new ArrayList<>();
    Set<String> roles = spec.effectiveRoles();
    if (oidc.rolesClaim().isPresent()) {
      Object value = oidc.rolesClaim().get().read(claims);
      if (value != null && !(value instanceof String) && !(value instanceof Collection<?>)) {
        warnOnce(spec.id() + "|type", "the {} claim of tokens of agent '{}' from {} is neither text nor a list; no"
            + " roles are taken from it", oidc.rolesClaim().get(), spec.id(), issuer);
      }
      for (String role : ClaimPath.strings(value)) {
        if (oidc.rolesFromClaim().contains(role)) {
          tokenRoles.add(role);
        } else if (!roles.contains(role)) {
          ignored.add(role);
        }
      }
      if (!tokenRoles.isEmpty()) {
        LinkedHashSet<String> all = new LinkedHashSet<>(roles);
        all.addAll(graph.closure(tokenRoles));
        roles = all;
      }
      for (String role : ignored) {
        String why = graph.names().contains(role) ? "the agent may not take it from a token (roles_from_claim: "
            + String.join(", ", oidc.rolesFromClaim()) + ")" : "it is not defined in the policy";
        warnOnce(spec.id() + "|" + role, "ignoring role '{}' in the {} claim of a token of agent '{}': {}",
            printable(role), oidc.rolesClaim().get(), spec.id(), why);
      }
    }
    Map<String, Object> attributes = spec.attributes();
    Map<String, Object> tokenAttributes = new LinkedHashMap<>();
    if (!oidc.attributes().isEmpty()) {
      oidc.attributes().forEach((name, path) -> {
        Object value = path.read(claims);
        if (value != null) {
          tokenAttributes.put(name, CelValues.attributeValue(value));
        }
      });
      if (!tokenAttributes.isEmpty()) {
        attributes = new HashMap<>(attributes);
        attributes.putAll(tokenAttributes);
      }
    }
    Agent agent = new Agent(spec.id(), spec.version(), roles, attributes, List.of(), credentialId);
    return new OidcMatch.Mapped(agent, tokenRoles, tokenAttributes, ignored);
  }

  /** Logs once per key and policy at WARN, then at DEBUG: a busy agent must not flood the log. */
  private void warnOnce(String key, String format, Object... args) {
    if (warned.size() < MAX_WARNINGS && warned.add(key)) {
      LOG.warn(format, args);
    } else {
      LOG.debug(format, args);
    }
  }

  /** A claim value for a message or a log line: control characters removed, at most 64 characters. */
  static String printable(String value) {
    String clean = value.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 64 ? clean : clean.substring(0, 64) + "…";
  }
}
