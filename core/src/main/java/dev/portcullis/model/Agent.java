package dev.portcullis.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: one agent or sub-agent with its own identity.
 *
 * @param id the agent id from the policy file (or mapped from OIDC claims)
 * @param version hash of the agent's declared configuration; credentials of other versions are revoked
 * @param roles effective roles, already expanded through {@code extends}
 * @param attributes free-form attributes the policy can refer to ({@code agent.attributes.region})
 * @param actorChain delegation chain, outermost first: for a sub-agent, the parent agents that acted for it
 * @param credentialId the credential this call was made with (API key id, token jti); state is kept per credential
 */
public record Agent(
    String id,
    String version,
    Set<String> roles,
    Map<String, Object> attributes,
    List<String> actorChain,
    String credentialId) {
  public Agent {
    Objects.requireNonNull(id, "id");
    version = version == null ? "" : version;
    roles = Set.copyOf(roles);
    attributes = Map.copyOf(attributes);
    actorChain = List.copyOf(actorChain);
    Objects.requireNonNull(credentialId, "credentialId");
  }
}
