package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.mcp.McpError;
import dev.portcullis.token.TokenIssuer;
import dev.portcullis.token.TokenIssuer.MintedToken;

/**
 * Gives each allowed {@code tools/call} its own credential for the upstream: a JWT that lives seconds, names the agent
 * (and, for a sub-agent, who delegated to it), the upstream as audience, the tool by its upstream name, a hash of the
 * arguments exactly as forwarded, and a unique {@code jti}. {@link Forward} sends it (a header to HTTP upstreams,
 * {@code _meta} to stdio ones); each further request of the same call (another round of input) gets a fresh one. The
 * agent's own credential never travels upstream. Minting fails closed: no token, no call. An upstream configured with
 * {@code call_token: none} (one that does not verify tokens) gets none, and no token is minted for it.
 */
final class MintCredential implements Step {
  private final TokenIssuer issuer;

  MintCredential(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    if (!"tools/call".equals(exchange.method()) || tokenOff(exchange)) {
      return next.proceed(exchange);
    }
    JsonNode arguments = exchange.params().get("arguments");
    MintedToken first;
    try {
      first = mint(exchange, arguments);
    } catch (RuntimeException e) {
      return Reply.error(McpError.of(McpError.INTERNAL_ERROR, "Portcullis could not sign the per-call credential for '"
          + exchange.target() + "' (" + e.getMessage() + "), so the call was not forwarded; try again later"));
    }
    String[] unused = {first.token()};
    exchange.credential(() -> {
      synchronized (unused) {
        if (unused[0] != null) {
          String token = unused[0];
          unused[0] = null;
          return token;
        }
      }
      return mint(exchange, arguments).token();
    });
    return next.proceed(exchange);
  }

  private static boolean tokenOff(Exchange exchange) {
    UpstreamConfig upstream = exchange.policy() == null ? null : exchange.policy().upstreams().get(exchange.upstream());
    return upstream != null && upstream.callToken() == UpstreamConfig.CallToken.NONE;
  }

  private MintedToken mint(Exchange exchange, JsonNode arguments) {
    MintedToken token = issuer.mint(exchange.agent(), exchange.upstream(), exchange.upstreamTarget(), arguments);
    exchange.credentialMinted(token.jti());
    return token;
  }
}
