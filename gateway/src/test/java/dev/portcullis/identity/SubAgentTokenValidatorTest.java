package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import dev.portcullis.identity.AuthResult.Authenticated;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import dev.portcullis.identity.TokenExchange.Issued;
import dev.portcullis.testing.MutableClock;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubAgentTokenValidatorTest {
  static final String ISSUER = "https://portcullis.test";
  static final String RESOURCE = "https://portcullis.test/mcp";
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));
  final SigningKeys keys = SigningKeys.inMemory(SigningKeys.DEFAULT_OVERLAP, clock);
  final SubAgentTokenValidator validator =
      new SubAgentTokenValidator(ISSUER, RESOURCE, keys, Duration.ofSeconds(5), clock);
  final AgentIdentity parent = new AgentIdentity("https://idp.test", "ops-bot", "v3", Set.of("support"), Map.of(),
      Set.of(), List.of(), Optional.empty(), "oidc:abc", clock.instant().plus(Duration.ofHours(1)));

  String subAgentToken(SigningKeys with, String resource) {
    var exchange = new TokenExchange(ISSUER, resource, with, clock);
    return ((Issued) exchange.exchange(parent, TokenExchange.Request.inherit())).accessToken();
  }

  static Rejected rejected(AuthResult result) {
    assertThat(result).isInstanceOf(Rejected.class);
    return (Rejected) result;
  }

  @Test
  void acceptsTheTokenTheExchangeIssued() {
    var identity = ((Authenticated) validator.validate(subAgentToken(keys, RESOURCE))).identity();
    assertThat(identity.actorChain()).containsExactly("ops-bot");
    assertThat(identity.issuer()).isEqualTo(ISSUER);
  }

  @Test
  void rejectsAPerCallTokenPresentedAsAnAccessToken() {
    String perCall = new TokenIssuer(ISSUER, keys, TokenIssuer.DEFAULT_LIFETIME, clock)
        .mint("ops-bot", List.of(), RESOURCE, "crm_search", "{}").token();
    Rejected result = rejected(validator.validate(perCall));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(result.message()).startsWith("the bearer token's typ is portcullis-call+jwt, not portcullis-agent+jwt");
  }

  @Test
  void rejectsExpiredSubAgentToken() {
    String token = subAgentToken(keys, RESOURCE);
    clock.advance(TokenExchange.DEFAULT_LIFETIME.plusSeconds(6));
    assertThat(rejected(validator.validate(token)).reason()).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void rejectsATokenForAnotherGateway() {
    Rejected result = rejected(validator.validate(subAgentToken(keys, "https://other-gateway.test/mcp")));
    assertThat(result.reason()).isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(result.message()).isEqualTo("the bearer token is for [https://other-gateway.test/mcp], not for this"
        + " gateway (" + RESOURCE + ")");
  }

  @Test
  void rejectsATokenSignedWithKeysThisGatewayDoesNotHave() {
    SigningKeys stranger = SigningKeys.inMemory(SigningKeys.DEFAULT_OVERLAP, clock);
    Rejected result = rejected(validator.validate(subAgentToken(stranger, RESOURCE)));
    assertThat(result.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(result.message()).startsWith("no live gateway signing key with kid " + stranger.currentKeyId());
  }

  @Test
  void rejectsATokenWhoseKeyWasRotatedOut() {
    // An overlap shorter than the token lifetime, so the key leaves the key set while its token is still unexpired.
    SigningKeys hasty = SigningKeys.inMemory(Duration.ofMinutes(1), clock);
    var hastyValidator = new SubAgentTokenValidator(ISSUER, RESOURCE, hasty, Duration.ofSeconds(5), clock);
    String token = subAgentToken(hasty, RESOURCE);
    hasty.rotate();
    assertThat(hastyValidator.validate(token)).isInstanceOf(Authenticated.class);

    clock.advance(Duration.ofMinutes(2));

    Rejected result = rejected(hastyValidator.validate(token));
    assertThat(result.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(result.message()).endsWith("the key was rotated out, so exchange a new token");
  }

  @Test
  void rejectsATokenWhoseRolesWereEdited() {
    String[] parts = subAgentToken(keys, RESOURCE).split("\\.");
    String claims = new String(new Base64URL(parts[1]).decode(), StandardCharsets.UTF_8)
        .replace("\"support\"", "\"admin\"");
    Rejected result = rejected(validator.validate(parts[0] + "." + Base64URL.encode(claims) + "." + parts[2]));
    assertThat(result.reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsUnsignedTruncatedAndOversizedTokens() {
    String[] parts = subAgentToken(keys, RESOURCE).split("\\.");
    assertThat(rejected(validator.validate(Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + "."))
        .reason()).isEqualTo(Reason.UNSIGNED);
    assertThat(rejected(validator.validate(parts[0] + "." + parts[1])).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(rejected(validator.validate("x".repeat(9000))).reason()).isEqualTo(Reason.OVERSIZED);
  }
}
