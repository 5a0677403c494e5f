package dev.portcullis.testing.demo;

import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpError;
import dev.portcullis.testing.kit.McpRequest;
import dev.portcullis.verifier.PerCallTokenVerifier;
import dev.portcullis.verifier.VerificationResult;
import java.net.URI;
import java.util.Optional;

/**
 * The demo server's {@code --verify-tokens}: every tool call must carry a valid Portcullis per-call token for that
 * tool and those exact arguments, checked with the verifier library; a call without one is refused before the tool
 * runs. The token is read where Portcullis puts it: {@code X-Portcullis-Call-Token} or {@code Authorization: Bearer}
 * over HTTP, {@code _meta["dev.portcullis/credential"]} over stdio.
 */
final class TokenCheck implements DemoToolServer.CallCheck {
  /** JSON-RPC error code of a refused call (implementation-defined server error range). */
  static final int UNAUTHORIZED = -32001;

  private final PerCallTokenVerifier verifier;

  TokenCheck(PerCallTokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** Checks tokens of {@code issuer} for the upstream named {@code audience}, with keys from {@code jwks}. */
  static TokenCheck of(URI jwks, String issuer, String audience) {
    return new TokenCheck(PerCallTokenVerifier.builder().jwksUrl(jwks).issuer(issuer).audience(audience).build());
  }

  @Override
  public void check(McpRequest request, String tool) {
    String token = token(request).orElseThrow(() -> refused("MISSING", "the call carries no Portcullis per-call token;"
        + " call this tool through Portcullis"));
    if (verifier.verify(token, tool, Json.write(request.arguments())) instanceof VerificationResult.Invalid bad) {
      throw refused(bad.reason().name(), bad.message());
    }
  }

  private static Optional<String> token(McpRequest request) {
    Optional<String> header = request.httpHeader(PerCallTokenVerifier.CALL_TOKEN_HEADER);
    if (header.isPresent()) {
      return header;
    }
    Optional<String> bearer = request.httpHeader("Authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip());
    if (bearer.isPresent()) {
      return bearer;
    }
    return Optional.ofNullable(request.params().path("_meta").path(PerCallTokenVerifier.CREDENTIAL_META).textValue());
  }

  private static McpError refused(String reason, String message) {
    return new McpError(UNAUTHORIZED, "acme refused the call: per-call token " + reason + ": " + message,
        Json.object().put("reason", reason));
  }
}
