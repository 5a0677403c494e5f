package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.AuthResult.Authenticated;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Access tokens from a real OIDC server, fetched over HTTP, then broken one way at a time. */
class OidcValidatorTest {
  static final String RESOURCE = "https://portcullis.test/mcp";
  static MockIdp idp;
  static OidcValidator validator;

  @BeforeAll
  static void startIdp() {
    idp = new MockIdp();
    OidcAgentMapping mapping = new OidcAgentMapping(idp.issuer(), "sub", Optional.of("roles"),
        Map.of("region", "tenant.region"));
    validator = OidcValidator.builder(mapping, RESOURCE).build(); // discovers jwks_uri from the IdP's metadata
  }

  @AfterAll
  static void stopIdp() {
    idp.close();
  }

  static String token(Map<String, Object> claims) {
    return idp.token("ops-bot", List.of(RESOURCE), claims, 3600);
  }

  static Rejected rejected(AuthResult result) {
    assertThat(result).isInstanceOf(Rejected.class);
    return (Rejected) result;
  }

  static String[] parts(String token) {
    return token.split("\\.");
  }

  static String json(String base64url) {
    return new String(new Base64URL(base64url).decode(), StandardCharsets.UTF_8);
  }

  @Test
  void acceptsTokenFromTheIdpAndMapsItsClaims() {
    String token = token(Map.of("roles", List.of("billing", "support"), "tenant", Map.of("region", "EU")));

    AuthResult result = validator.validate(token);

    assertThat(result).isInstanceOf(Authenticated.class);
    AgentIdentity agent = ((Authenticated) result).identity();
    assertThat(agent.agentId()).isEqualTo("ops-bot");
    assertThat(agent.issuer()).isEqualTo(idp.issuer());
    assertThat(agent.roles()).containsExactlyInAnyOrder("billing", "support");
    assertThat(agent.attributes()).containsEntry("region", "EU");
    assertThat(agent.credentialId()).startsWith("oidc:").doesNotContain(token);
    assertThat(agent.expiresAt()).isAfter(Instant.now().plusSeconds(3000));
    assertThat(agent.toAgent("v7").version()).isEqualTo("v7");
  }

  @Test
  void rejectsExpiredToken() {
    String token = idp.token("ops-bot", List.of(RESOURCE), Map.of(), -120);
    Rejected result = rejected(validator.validate(token));
    assertThat(result.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(result.message()).startsWith("the bearer token expired at ").contains("skew 60 s");
    assertThat(result.status()).isEqualTo(401);
    assertThat(result.error()).isEqualTo("invalid_token");
  }

  @Test
  void acceptsTokenExpiredWithinTheClockSkew() {
    String token = idp.token("ops-bot", List.of(RESOURCE), Map.of(), -20);
    assertThat(validator.validate(token)).isInstanceOf(Authenticated.class);
  }

  @Test
  void rejectsTokenNotYetValid() {
    long inTenMinutes = Instant.now().plusSeconds(600).getEpochSecond();
    Rejected result = rejected(validator.validate(token(Map.of("nbf", inTenMinutes))));
    assertThat(result.reason()).isEqualTo(Reason.NOT_YET_VALID);
    assertThat(result.message()).startsWith("the bearer token is not valid before ");
  }

  @Test
  void rejectsTokenForAnotherResource() {
    String token = idp.token("ops-bot", List.of("https://other.example/mcp"), Map.of(), 3600);
    Rejected result = rejected(validator.validate(token));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(result.message()).isEqualTo("the bearer token is for [https://other.example/mcp], not for this"
        + " gateway (" + RESOURCE + "); request it with resource=" + RESOURCE);
  }

  @Test
  void rejectsTokenFromAnotherIssuer() {
    String token = idp.token("elsewhere", "ops-bot", List.of(RESOURCE), Map.of(), 3600);
    Rejected result = rejected(validator.validate(token));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_ISSUER);
    assertThat(result.message()).isEqualTo("the bearer token was issued by " + idp.issuer("elsewhere")
        + ", not by the trusted issuer " + idp.issuer());
  }

  @Test
  void rejectsUnsignedToken() {
    String[] real = parts(token(Map.of()));
    String unsigned = Base64URL.encode("{\"alg\":\"none\"}") + "." + real[1] + ".";
    Rejected result = rejected(validator.validate(unsigned));
    assertThat(result.reason()).isEqualTo(Reason.UNSIGNED);
    assertThat(result.message()).isEqualTo("the bearer token is unsigned (alg none)");
  }

  @Test
  void rejectsHmacTokenEvenWithTheIdpsPublicKeyAsSecret() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(token(Map.of())).getJWTClaimsSet();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-key-1").build(), claims);
    forged.sign(new MACSigner("a-secret-of-at-least-thirty-two-bytes!!"));
    Rejected result = rejected(validator.validate(forged.serialize()));
    assertThat(result.reason()).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    assertThat(result.message()).startsWith("the bearer token is signed with HS256, outside the allowed [ES256,");
  }

  @Test
  void rejectsTokenWhoseClaimsWereEdited() {
    String[] real = parts(token(Map.of("roles", List.of("support"))));
    String claims = json(real[1]).replace("\"support\"", "\"admin\"");
    String edited = real[0] + "." + Base64URL.encode(claims) + "." + real[2];
    Rejected result = rejected(validator.validate(edited));
    assertThat(result.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(result.message()).startsWith("the bearer token's signature does not verify with key ");
  }

  @Test
  void rejectsTokenSignedByAnotherServersKeyWithTheSameKid() {
    String[] mine = parts(token(Map.of()));
    try (MockIdp stranger = new MockIdp()) { // its first key is also called idp-key-1
      String[] foreign = parts(stranger.token("ops-bot", List.of(RESOURCE), Map.of(), 3600));
      assertThat(json(foreign[0])).contains("idp-key-1");
      Rejected result = rejected(validator.validate(mine[0] + "." + mine[1] + "." + foreign[2]));
      assertThat(result.reason()).isEqualTo(Reason.BAD_SIGNATURE);
      assertThat(result.message()).isEqualTo("the bearer token's signature does not verify with key idp-key-1");
    }
  }

  @Test
  void rejectsTokenWithUnknownKid() {
    String[] real = parts(token(Map.of()));
    String header = json(real[0]).replaceAll("\"kid\"\\s*:\\s*\"[^\"]*\"", "\"kid\":\"rogue-key\"");
    Rejected result = rejected(validator.validate(Base64URL.encode(header) + "." + real[1] + "." + real[2]));
    assertThat(result.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(result.message()).isEqualTo("no key with kid rogue-key among the published keys of " + idp.issuer());
  }

  @Test
  void rejectsTruncatedToken() {
    String token = token(Map.of());
    Rejected cutInClaims = rejected(validator.validate(token.substring(0, token.indexOf('.') + 20)));
    assertThat(cutInClaims.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(cutInClaims.message()).startsWith("the bearer token is not a JWT");

    Rejected noSignature = rejected(validator.validate(token.substring(0, token.lastIndexOf('.'))));
    assertThat(noSignature.reason()).isEqualTo(Reason.MALFORMED);

    Rejected shortSignature = rejected(validator.validate(token.substring(0, token.length() - 10)));
    assertThat(shortSignature.reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsOversizedToken() {
    String token = token(Map.of("padding", "x".repeat(9000)));
    Rejected result = rejected(validator.validate(token));
    assertThat(result.reason()).isEqualTo(Reason.OVERSIZED);
    assertThat(result.message()).endsWith("characters, more than the 8192 accepted");
  }

  @Test
  void rejectsMissingTokenWithoutAnErrorCode() {
    Rejected result = rejected(validator.validate(null));
    assertThat(result.reason()).isEqualTo(Reason.MISSING_TOKEN);
    assertThat(result.status()).isEqualTo(401);
    assertThat(result.error()).isNull();
  }

  @Test
  void rejectsTokenWithoutTheRequiredScopeWith403() {
    OidcValidator strict = OidcValidator.builder(OidcAgentMapping.of(idp.issuer()), RESOURCE)
        .jwksUri(idp.jwksUri()).requiredScopes(Set.of("mcp:tools")).build();

    Rejected result = rejected(strict.validate(token(Map.of("scope", "openid profile"))));
    assertThat(result.reason()).isEqualTo(Reason.INSUFFICIENT_SCOPE);
    assertThat(result.status()).isEqualTo(403);
    assertThat(result.error()).isEqualTo("insufficient_scope");
    assertThat(result.message()).isEqualTo("the bearer token has scopes [openid, profile]; this gateway requires"
        + " [mcp:tools]");

    assertThat(strict.validate(token(Map.of("scope", "openid mcp:tools")))).isInstanceOf(Authenticated.class);
  }

  @Test
  void rejectsTokenWithoutTheAgentIdClaim() {
    OidcValidator byAzp = OidcValidator.builder(new OidcAgentMapping(idp.issuer(), "azp", Optional.empty(),
        Map.of()), RESOURCE).jwksUri(idp.jwksUri()).build();
    Rejected result = rejected(byAzp.validate(token(Map.of())));
    assertThat(result.reason()).isEqualTo(Reason.MISSING_CLAIM);
    assertThat(result.message()).startsWith("the bearer token has no string claim azp to name the agent");
  }

  @Test
  void rejectsRolesClaimOfTheWrongType() {
    Rejected result = rejected(validator.validate(token(Map.of("roles", 42))));
    assertThat(result.reason()).isEqualTo(Reason.MISSING_CLAIM);
    assertThat(result.message()).contains("roles claim is neither a list of strings nor a space-separated string");
  }

  @Test
  void readsRolesFromANestedClaim() {
    OidcValidator keycloakStyle = OidcValidator.builder(new OidcAgentMapping(idp.issuer(), "sub",
        Optional.of("realm_access.roles"), Map.of()), RESOURCE).jwksUri(idp.jwksUri()).build();
    var result = keycloakStyle.validate(token(Map.of("realm_access", Map.of("roles", List.of("ops")))));
    assertThat(((Authenticated) result).identity().roles()).containsExactly("ops");
  }

  @Test
  void followsTheIdpToItsNewKeyAfterRotation() {
    try (MockIdp rotating = new MockIdp()) {
      OidcValidator v = OidcValidator.builder(OidcAgentMapping.of(rotating.issuer()), RESOURCE)
          .jwksMinRefetchInterval(java.time.Duration.ofMillis(1)).build();
      assertThat(v.validate(rotating.token("ops-bot", List.of(RESOURCE), Map.of(), 60)))
          .isInstanceOf(Authenticated.class);

      rotating.rotateKey();

      assertThat(v.validate(rotating.token("ops-bot", List.of(RESOURCE), Map.of(), 60)))
          .isInstanceOf(Authenticated.class);
    }
  }

  @Test
  void rejectsEveryTokenWhileTheIdpsKeysCannotBeFetched() {
    OidcValidator unreachable = OidcValidator.builder(OidcAgentMapping.of(idp.issuer()), RESOURCE)
        .jwksUri(java.net.URI.create("http://127.0.0.1:9/jwks")).build(); // the discard port: nothing listens
    Rejected result = rejected(unreachable.validate(token(Map.of())));
    assertThat(result.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    assertThat(result.message()).startsWith("the keys of " + idp.issuer() + " could not be fetched: ");
  }

  @Test
  void discoveryRefusesMetadataNamingAnotherIssuer() {
    assertThatThrownBy(() -> OidcValidator.builder(OidcAgentMapping.of(idp.issuer() + "/"), RESOURCE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("names issuer " + idp.issuer() + ", not " + idp.issuer() + "/");
  }

  @Test
  void discoveryNamesEveryLocationTriedWhenTheIssuerIsUnknown() {
    String issuer = "http://127.0.0.1:9/nowhere/deeper"; // the discard port: nothing listens
    assertThatThrownBy(() -> OidcValidator.builder(OidcAgentMapping.of(issuer), RESOURCE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no authorization server metadata found for issuer " + issuer)
        .hasMessageContaining("/.well-known/oauth-authorization-server/nowhere/deeper")
        .hasMessageContaining("check the issuer URL or configure jwksUri directly");
  }

  @Test
  void refusesToAllowHmacAlgorithms() {
    assertThatThrownBy(() -> OidcValidator.builder(OidcAgentMapping.of(idp.issuer()), RESOURCE)
        .algorithms(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256)))
        .hasMessageStartingWith("algorithm HS256 cannot be allowed for access tokens");
  }
}
