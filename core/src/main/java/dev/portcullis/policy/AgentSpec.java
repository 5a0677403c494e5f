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

  /** An OIDC identity: tokens from {@code issuer} with subject {@code subject} act as this agent. */
  public record Oidc(String issuer, String subject) {
    public Oidc {
      Objects.requireNonNull(issuer);
      Objects.requireNonNull(subject);
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
