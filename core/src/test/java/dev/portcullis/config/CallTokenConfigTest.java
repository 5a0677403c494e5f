package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.UpstreamConfig.CallToken;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

class CallTokenConfigTest {
  private static UpstreamConfig upstream(String body) {
    return PolicyLoader.fromText("p.yaml", "version: 1\nupstreams:\n  u: " + body + "\n").upstreams().get("u");
  }

  private static String error(String body) {
    try {
      upstream(body);
    } catch (PolicyException e) {
      assertThat(e.errors()).hasSize(1);
      return e.errors().getFirst().message() + " / " + e.errors().getFirst().hint();
    }
    throw new AssertionError("expected the policy to be rejected");
  }

  @Test
  void theDefaultFollowsTheTransportAndTheUpstreamsOwnSecret() {
    assertThat(upstream("{ command: [srv] }").callToken()).isEqualTo(CallToken.META);
    assertThat(upstream("{ url: \"http://127.0.0.1:1/mcp\" }").callToken()).isEqualTo(CallToken.BEARER);
    assertThat(upstream("{ url: \"http://127.0.0.1:1/mcp\", bearer: { env: T } }").callToken())
        .isEqualTo(CallToken.HEADER);
    assertThat(upstream("{ url: \"http://127.0.0.1:1/mcp\", headers: { authorization: { env: T } } }").callToken())
        .isEqualTo(CallToken.HEADER);
  }

  @Test
  void eachSettingIsAccepted() {
    assertThat(upstream("{ url: \"http://127.0.0.1:1/mcp\", call_token: header }").callToken())
        .isEqualTo(CallToken.HEADER);
    assertThat(upstream("{ url: \"http://127.0.0.1:1/mcp\", call_token: none }").callToken())
        .isEqualTo(CallToken.NONE);
    assertThat(upstream("{ command: [srv], call_token: none }").callToken()).isEqualTo(CallToken.NONE);
    assertThat(upstream("{ command: [srv], call_token: meta }").callToken()).isEqualTo(CallToken.META);
  }

  @Test
  void settingsThatCannotApplyAreErrorsThatNameTheFix() {
    assertThat(error("{ command: [srv], call_token: bearer }")).contains("stdio server", "use meta");
    assertThat(error("{ url: \"http://127.0.0.1:1/mcp\", call_token: meta }")).contains("for stdio servers",
        "use bearer, header or none");
    assertThat(error("{ url: \"http://127.0.0.1:1/mcp\", bearer: { env: T }, call_token: bearer }"))
        .contains("would replace it", "use header");
    assertThat(error("{ url: \"http://127.0.0.1:1/mcp\", call_token: jwt }")).contains("call_token 'jwt' is not known",
        "bearer", "header", "meta", "none");
  }
}
