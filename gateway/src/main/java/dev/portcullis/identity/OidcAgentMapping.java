package dev.portcullis.identity;

import dev.portcullis.policy.ClaimPath;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link OidcValidator} reads the claims of one identity provider's access tokens into an {@link AgentIdentity}:
 * which claim is the agent id, which holds roles, which become attributes. Claim names may be dotted paths into
 * nested objects ({@code realm_access.roles}), and a claim whose literal name contains dots is found first. The
 * gateway validates with {@link #of} and leaves the mapping to the policy (each agent's {@code oidc:}, see
 * {@code Policy.agentForOidc}); the full form is for embedding the validator elsewhere.
 *
 * @param issuer the IdP's issuer URL, exactly as in its tokens' {@code iss}
 * @param agentIdClaim the claim naming the agent; {@code sub} by default
 * @param rolesClaim the claim listing roles (a JSON array, or a space-separated string), if roles come from the IdP
 * @param attributeClaims attribute name → claim name, e.g. {@code region → tenant.region}
 */
public record OidcAgentMapping(
    String issuer,
    String agentIdClaim,
    Optional<String> rolesClaim,
    Map<String, String> attributeClaims) {
  public OidcAgentMapping {
    Objects.requireNonNull(issuer, "issuer");
    if (issuer.isBlank()) {
      throw new IllegalArgumentException("an OIDC mapping needs the IdP's issuer URL, got a blank one");
    }
    agentIdClaim = agentIdClaim == null || agentIdClaim.isBlank() ? "sub" : agentIdClaim;
    rolesClaim = Objects.requireNonNullElse(rolesClaim, Optional.<String>empty());
    attributeClaims = attributeClaims == null ? Map.of() : Map.copyOf(attributeClaims);
    new ClaimPath(agentIdClaim);
    rolesClaim.ifPresent(ClaimPath::new);
    attributeClaims.values().forEach(ClaimPath::new);
  }

  /** The agent id from {@code sub}, no roles or attributes from the IdP. */
  public static OidcAgentMapping of(String issuer) {
    return new OidcAgentMapping(issuer, "sub", Optional.empty(), Map.of());
  }
}
