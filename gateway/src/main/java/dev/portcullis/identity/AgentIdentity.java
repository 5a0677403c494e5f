package dev.portcullis.identity;

import dev.portcullis.model.Agent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An agent as a bearer token describes it, before the policy adds what it knows: the OIDC identity of an agent, or a
 * sub-agent created by token exchange. Also the input of a token exchange (the parent).
 *
 * @param issuer who vouches for the identity: the IdP's issuer URL, or the gateway's own for sub-agents
 * @param agentId the agent id (mapped from a claim for OIDC, {@code parent/name} for sub-agents)
 * @param version the agent's configuration version the credential was issued for; empty when unknown
 * @param roles roles the token grants: for an OIDC token once the gateway mapped it, the roles its claim added
 *     through the policy's {@code roles_from_claim} (the agent's own come from the policy); for a sub-agent, its roles
 * @param attributes attributes from claims, for policy conditions ({@code agent.attributes.region})
 * @param scopes OAuth scopes of the token
 * @param actorChain delegators, root first and immediate parent last; empty when not delegated
 * @param tools tool-name patterns ({@code acme.crm_get}, {@code acme.*}) the token is limited to; empty when the
 *     token itself sets no such limit (the policy's grants still apply)
 * @param credentialId stable id of the credential for per-credential state and the audit: never the token itself
 * @param expiresAt when the token expires
 */
public record AgentIdentity(
    String issuer,
    String agentId,
    String version,
    Set<String> roles,
    Map<String, Object> attributes,
    Set<String> scopes,
    List<String> actorChain,
    Optional<List<String>> tools,
    String credentialId,
    Instant expiresAt) {
  public AgentIdentity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(agentId, "agentId");
    version = version == null ? "" : version;
    roles = Set.copyOf(roles);
    attributes = Map.copyOf(attributes);
    scopes = Set.copyOf(scopes);
    actorChain = List.copyOf(actorChain);
    tools = tools.map(List::copyOf);
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether the token's own tool limit (if any) lets it call the catalog tool {@code toolName}. */
  public boolean mayUse(String toolName) {
    return tools.map(patterns -> ToolPatterns.coveredBy(patterns, toolName)).orElse(true);
  }

  /** The core model's agent; {@code version} comes from the policy when the token carries none. */
  public Agent toAgent(String policyVersion) {
    return new Agent(agentId, version.isEmpty() ? policyVersion : version, roles, attributes, actorChain,
        credentialId);
  }
}
