package dev.portcullis.policy;

import dev.portcullis.model.Agent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Which agent of the policy a validated access token acts as, or why it acts as none. */
public sealed interface OidcMatch {
  /**
   * The token maps to {@code agent}, whose roles and attributes include what the token added.
   *
   * @param agent the agent as this call sees it: the policy's roles plus {@code tokenRoles}, attributes likewise
   * @param tokenRoles the roles the token's roles claim added (only roles the agent's {@code roles_from_claim} lists)
   * @param tokenAttributes the attributes taken from the token's claims
   * @param ignoredRoles roles the token named that it may not add: undefined in the policy, or not allowed for the
   *     agent; never an error, only logged
   */
  record Mapped(Agent agent, Set<String> tokenRoles, Map<String, Object> tokenAttributes, List<String> ignoredRoles)
      implements OidcMatch {
    public Mapped {
      Objects.requireNonNull(agent, "agent");
      tokenRoles = Set.copyOf(tokenRoles);
      tokenAttributes = Map.copyOf(tokenAttributes);
      ignoredRoles = List.copyOf(ignoredRoles);
    }
  }

  /** The token names no agent of the policy, or more than one; {@code message} says which and what to change. */
  record Unmapped(String message) implements OidcMatch {
    public Unmapped {
      Objects.requireNonNull(message, "message");
    }
  }
}
