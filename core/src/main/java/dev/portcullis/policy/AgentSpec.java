package dev.portcullis.policy;

import dev.portcullis.config.Mark;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An agent as declared in the {@code agents} section.
 *
 * @param id the agent id
 * @param description what the agent is for
 * @param roles roles as written (in order)
 * @param effectiveRoles roles after expanding {@code extends}
 * @param keyIds ids of its API keys (hashes stay inside the policy)
 * @param attributes free-form attributes ({@code agent.attributes.region} in conditions)
 * @param version the declared {@code version}, or a hash of the agent's definition when none is declared
 * @param mode rollout mode: observe (log only), suggest (log and tell the agent), enforce (default)
 * @param oidc the OIDC identity that maps to this agent, if any
 * @param mark where the agent is defined
 */
public record AgentSpec(
    String id,
    String description,
    List<String> roles,
    Set<String> effectiveRoles,
    List<String> keyIds,
    Map<String, Object> attributes,
    String version,
    Mode mode,
    Optional<Oidc> oidc,
    Mark mark) {
  /** Rollout mode of an agent; the policy produces decisions, the gateway applies the mode. */
  public enum Mode {
    OBSERVE,
    SUGGEST,
    ENFORCE
  }

  /**
   * An OIDC identity and what its tokens may add: tokens from {@code issuer} whose claim {@code subjectClaim} equals
   * {@code subject} act as this agent. When {@code rolesClaim} is set, the roles it lists that are also in
   * {@code rolesFromClaim} are added to the agent's own; any other role a token names is ignored. Each entry of
   * {@code attributes} becomes {@code agent.attributes.<name>} when the token carries the claim.
   *
   * @param issuer the IdP's issuer URL, exactly as in the tokens' {@code iss}
   * @param subject the value the subject claim must have
   * @param subjectClaim the claim naming the agent: {@code sub} (default), or {@code azp} / {@code client_id} for
   *     client-credentials tokens
   * @param rolesClaim the claim listing roles, if roles may come from the token
   * @param rolesFromClaim the roles a token may add (least privilege: never more than these)
   * @param attributes attribute name → claim path
   */
  public record Oidc(String issuer, String subject, ClaimPath subjectClaim, Optional<ClaimPath> rolesClaim,
      List<String> rolesFromClaim, Map<String, ClaimPath> attributes) {
    public static final ClaimPath SUB = new ClaimPath("sub");

    public Oidc {
      Objects.requireNonNull(issuer);
      Objects.requireNonNull(subject);
      Objects.requireNonNull(subjectClaim);
      Objects.requireNonNull(rolesClaim);
      rolesFromClaim = List.copyOf(rolesFromClaim);
      attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }

    /** Tokens whose {@code sub} is {@code subject}; nothing from their claims. */
    public Oidc(String issuer, String subject) {
      this(issuer, subject, SUB, Optional.empty(), List.of(), Map.of());
    }

    /** Whether any role or attribute comes from the token. */
    public boolean mapsClaims() {
      return rolesClaim.isPresent() || !attributes.isEmpty();
    }
  }

  public AgentSpec {
    Objects.requireNonNull(id);
    roles = List.copyOf(roles);
    effectiveRoles = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(effectiveRoles));
    keyIds = List.copyOf(keyIds);
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(version);
    Objects.requireNonNull(mode);
    Objects.requireNonNull(oidc);
  }
}
