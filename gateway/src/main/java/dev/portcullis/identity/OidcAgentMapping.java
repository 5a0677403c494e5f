package dev.portcullis.identity;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the claims of one identity provider's access tokens map to an agent: which claim is the agent id, which holds
 * roles, which become attributes. The policy file's loader builds these; claim names may be dotted paths into nested
 * objects ({@code realm_access.roles}), and a claim whose literal name contains dots is found first.
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
  }

  /** The agent id from {@code sub}, no roles or attributes from the IdP. */
  public static OidcAgentMapping of(String issuer) {
    return new OidcAgentMapping(issuer, "sub", Optional.empty(), Map.of());
  }
}
