package dev.portcullis.testing.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.McpRequest;
import dev.portcullis.testing.kit.Reply;
import dev.portcullis.verifier.PerCallClaims;
import dev.portcullis.verifier.PerCallTokenVerifier;
import dev.portcullis.verifier.VerificationResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The smallest tool server that trusts nobody but Portcullis: one tool, {@code echo}, that runs only with a valid
 * per-call token for exactly this call, and answers with who called it, on whose behalf. The example of
 * {@code docs/verifier.md}, runnable as {@code bin/portcullis tool-server echo --jwks URL --issuer ISS --audience NAME
 * [--http PORT]}.
 */
public final class EchoToolServer {
  private static final String ECHO = """
      {"name": "echo", "description": "Repeats the text, naming the agent (and its delegators) that called.",
       "inputSchema": {"type": "object", "additionalProperties": false, "required": ["text"],
         "properties": {"text": {"type": "string", "maxLength": 1000}}}}
      """;

  private EchoToolServer() {}

  /** The server, checking calls with {@code verifier} (built once: it caches keys and remembers used tokens). */
  public static McpFixture fixture(PerCallTokenVerifier verifier) {
    return McpFixture.builder("echo", "1.0.0").tool(ECHO, request -> echo(verifier, request)).build();
  }

  private static Reply echo(PerCallTokenVerifier verifier, McpRequest request) {
    String token = token(request).orElse(null);
    ObjectNode arguments = request.arguments();
    return switch (verifier.verify(token, "echo", Json.write(arguments))) {
      case VerificationResult.Valid valid -> {
        PerCallClaims claims = valid.claims();
        String via = claims.actorChain().isEmpty() ? "" : " on behalf of " + String.join(" > ", claims.actorChain());
        yield Reply.text(arguments.path("text").asText() + " (called by " + claims.subject() + via + ")");
      }
      case VerificationResult.Invalid bad -> Reply.toolError("refused: " + bad.reason() + ": " + bad.message());
    };
  }

  /** Where Portcullis puts the token: a header over HTTP, {@code _meta} over stdio. */
  static Optional<String> token(McpRequest request) {
    return request.httpHeader(PerCallTokenVerifier.CALL_TOKEN_HEADER)
        .or(() -> request.httpHeader("Authorization").filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7)))
        .or(() -> Optional.ofNullable(request.params().path("_meta").path(PerCallTokenVerifier.CREDENTIAL_META)
            .textValue()));
  }

  public static void main(String[] args) throws Exception {
    McpFixture.silenceLibraryLogging();
    String jwks = null;
    String issuer = null;
    String audience = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jwks" -> jwks = i + 1 < args.length ? args[++i] : null;
        case "--issuer" -> issuer = i + 1 < args.length ? args[++i] : null;
        case "--audience" -> audience = i + 1 < args.length ? args[++i] : null;
        default -> rest.add(args[i]);
      }
    }
    if (jwks == null || issuer == null || audience == null) {
      System.err.println("echo: needs --jwks URL --issuer ISS --audience NAME, e.g. --jwks"
          + " http://127.0.0.1:8080/.well-known/jwks.json --issuer http://127.0.0.1:8080 --audience echo");
      System.exit(2);
    }
    PerCallTokenVerifier verifier = PerCallTokenVerifier.builder()
        .jwksUrl(URI.create(jwks))
        .issuer(issuer)
        .audience(audience)
        .build();
    fixture(verifier).serve(rest);
  }
}
