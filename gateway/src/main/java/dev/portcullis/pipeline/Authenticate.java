package dev.portcullis.pipeline;

import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Agent;
import dev.portcullis.policy.Policy;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who is calling: an API key Portcullis issued (stored as a salted hash in the policy file), or an agent the front
 * already knows (stdio). A missing or unknown credential is refused with 401 and never reaches an upstream.
 */
final class Authenticate implements Step, Authenticator {
  private final Supplier<Policy> policy;
  private final String resourceMetadataUrl;

  Authenticate(Supplier<Policy> policy, String resourceMetadataUrl) {
    this.policy = policy;
    this.resourceMetadataUrl = resourceMetadataUrl;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    if (exchange.preAuthenticated().isPresent()) {
      exchange.agent(exchange.preAuthenticated().get());
      return next.proceed(exchange);
    }
    return switch (authenticate(exchange.policy(), exchange.bearer())) {
      case Result.Authenticated a -> {
        exchange.agent(a.agent());
        yield next.proceed(exchange);
      }
      case Result.Refused r -> Reply.error(r.error());
    };
  }

  @Override
  public Result authenticate(Optional<String> bearer) {
    return authenticate(policy.get(), bearer);
  }

  private Result authenticate(Policy policy, Optional<String> bearer) {
    if (bearer.isEmpty()) {
      return refused("no credential: send 'Authorization: Bearer <key>' with the API key from 'portcullis keys create AGENT'");
    }
    String token = bearer.get();
    if (token.isEmpty()) {
      return refused("the Authorization header must carry a Bearer credential");
    }
    if (token.length() > 8192) {
      return refused("the bearer credential is " + token.length() + " characters long, more than the 8192 allowed");
    }
    Optional<Agent> agent = policy.authenticate(token);
    return agent.<Result>map(Result.Authenticated::new)
        .orElseGet(() -> refused("the API key is not valid (unknown, revoked, or mistyped); ask an operator for a key"));
  }

  private Result refused(String message) {
    com.fasterxml.jackson.databind.node.ObjectNode data = dev.portcullis.json.Json.object().put("resource_metadata", resourceMetadataUrl);
    return new Result.Refused(new McpError(McpError.UNAUTHENTICATED, "Unauthorized: " + message, data, 401));
  }
}
