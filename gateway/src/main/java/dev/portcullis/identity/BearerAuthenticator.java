package dev.portcullis.identity;

import com.nimbusds.jwt.JWTParser;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routes a bearer JWT to the validator of its issuer: the gateway's own sub-agent tokens, or one of the trusted OIDC
 * identity providers. The {@code iss} read before verification only chooses the validator; that validator then checks
 * everything, so a forged {@code iss} gains nothing.
 */
public final class BearerAuthenticator {
  private final Optional<SubAgentTokenValidator> subAgents;
  private final Map<String, OidcValidator> byIssuer = new LinkedHashMap<>();

  /**
   * @param subAgents the validator for tokens from {@link TokenExchange}, if exchange is enabled
   * @param idps one validator per trusted IdP; issuers must differ from each other and from the gateway's
   */
  public BearerAuthenticator(Optional<SubAgentTokenValidator> subAgents, List<OidcValidator> idps) {
    this.subAgents = subAgents;
    for (OidcValidator idp : idps) {
      if (byIssuer.put(idp.issuer(), idp) != null
          || subAgents.map(s -> s.issuer().equals(idp.issuer())).orElse(false)) {
        throw new IllegalArgumentException("issuer " + idp.issuer() + " is configured twice; give each identity"
            + " provider one entry, distinct from the gateway's own issuer");
      }
    }
  }

  /** Authenticates the token after {@code Authorization: Bearer }; null or blank gives {@code MISSING_TOKEN}. */
  public AuthResult authenticate(String token) {
    JwtChecks.Parsed parsed = JwtChecks.parse(token, OidcValidator.DEFAULT_ALGORITHMS);
    if (parsed.rejected() != null && parsed.rejected().reason() != Reason.ALGORITHM_NOT_ALLOWED) {
      return parsed.rejected();
    }
    String issuer;
    try {
      issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      return new Rejected(Reason.MALFORMED, "the bearer token's claims are not a JSON object: " + e.getMessage());
    }
    if (subAgents.isPresent() && subAgents.get().issuer().equals(issuer)) {
      return subAgents.get().validate(token);
    }
    OidcValidator idp = byIssuer.get(issuer);
    if (idp == null) {
      return new Rejected(Reason.WRONG_ISSUER, "the bearer token was issued by " + issuer + ", which this gateway"
          + " does not trust (trusted: " + trusted() + ")");
    }
    return idp.validate(token);
  }

  private List<String> trusted() {
    List<String> all = new java.util.ArrayList<>(byIssuer.keySet());
    subAgents.ifPresent(s -> all.add(s.issuer()));
    return all;
  }
}
