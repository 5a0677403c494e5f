package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.identity.AgentIdentity;
import dev.portcullis.identity.AuthResult;
import dev.portcullis.identity.AuthResult.Reason;
import dev.portcullis.identity.AuthResult.Rejected;
import dev.portcullis.json.Json;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.mcp.McpError;
import dev.portcullis.model.Agent;
import dev.portcullis.policy.AgentSpec;
import dev.portcullis.policy.OidcMatch;
import dev.portcullis.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who is calling: an API key Portcullis issued ({@code pcl_…}, stored as a salted hash in the policy file), an OAuth
 * access token from a trusted identity provider (mapped to an agent, and maybe to roles and attributes, by the
 * policy's {@code oidc:} entries), a
 * sub-agent token from token exchange (its roles narrowed to what the token and its root agent's current version
 * still hold), or an agent the front already knows (stdio). A missing or bad credential is refused with 401 and a
 * {@code WWW-Authenticate} challenge, and never reaches an upstream.
 */
final class Authenticate implements Step, Authenticator {
  static final int MAX_CREDENTIAL_CHARS = 8192;
  /** How long an API key counts as valid when it is the parent of a token exchange (keys themselves never expire). */
  private static final Duration API_KEY_HORIZON = Duration.ofDays(1);

  private final Supplier<Policy> policy;
  private final Pipeline.Credentials credentials;

  Authenticate(Supplier<Policy> policy, Pipeline.Credentials credentials) {
    this.policy = policy;
    this.credentials = credentials;
  }

  private sealed interface Outcome {}

  /** A credential the policy knows: the agent, and the token's own claims when it was a token. */
  private record Known(Agent agent, Optional<AgentIdentity> token) implements Outcome {}

  private record Refused(Rejected why) implements Outcome {}

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    if (exchange.preAuthenticated().isPresent()) {
      exchange.agent(exchange.preAuthenticated().get());
      return next.proceed(exchange);
    }
    return switch (identify(exchange.policy(), exchange.bearer())) {
      case Known known -> {
        exchange.agent(known.agent());
        known.token().ifPresent(exchange::identity);
        yield next.proceed(exchange);
      }
      case Refused refused -> Reply.error(error(refused.why()));
    };
  }

  @Override
  public Result authenticate(Optional<String> bearer) {
    return switch (identify(policy.get(), bearer)) {
      case Known known -> new Result.Authenticated(known.agent());
      case Refused refused -> new Result.Refused(error(refused.why()));
    };
  }

  /**
   * The parent of a token exchange as the policy sees it now: the agent's policy id, effective roles, attributes and
   * version, and the token's own limits (tools, delegation chain, expiry) when the credential is a token.
   */
  AuthResult subject(String bearer) {
    Outcome outcome = identify(policy.get(), Optional.ofNullable(bearer));
    if (!(outcome instanceof Known known)) {
      return ((Refused) outcome).why();
    }
    Agent agent = known.agent();
    return new AuthResult.Authenticated(known.token()
        .map(t -> new AgentIdentity(t.issuer(), agent.id(), agent.version(), agent.roles(), agent.attributes(),
            t.scopes(), t.actorChain(), t.tools(), agent.credentialId(), t.expiresAt()))
        .orElseGet(() -> new AgentIdentity(credentials.issuer().issuer(), agent.id(), agent.version(), agent.roles(),
            agent.attributes(), Set.of(), List.of(), Optional.empty(), agent.credentialId(),
            Instant.now().plus(API_KEY_HORIZON))));
  }

  private Outcome identify(Policy policy, Optional<String> bearer) {
    if (bearer.isEmpty()) {
      return refused(Reason.MISSING_TOKEN, "no credential: send 'Authorization: Bearer <key>' with the API key"
          + " from 'portcullis keys create AGENT', or an access token from your identity provider");
    }
    String token = bearer.get();
    if (token.isEmpty()) {
      return refused(Reason.MALFORMED, "the Authorization header must carry a Bearer credential");
    }
    if (token.length() > MAX_CREDENTIAL_CHARS) {
      return refused(Reason.OVERSIZED, "the bearer credential is " + token.length() + " characters long, more"
          + " than the " + MAX_CREDENTIAL_CHARS + " allowed");
    }
    if (token.startsWith(ApiKeys.PREFIX)) {
      Optional<Agent> agent = policy.authenticate(token);
      return agent.<Outcome>map(a -> new Known(a, Optional.empty())).orElseGet(() -> refused(Reason.INVALID_API_KEY,
          "the API key is not valid (unknown, revoked, or mistyped); ask an operator for a key"));
    }
    return switch (credentials.tokens().apply(token)) {
      case AuthResult.Authenticated a -> resolve(policy, a.identity(), a.claims());
      case Rejected r -> new Refused(r);
    };
  }

  /**
   * Maps a genuine token to the policy's agent (its {@code oidc:} picks the agent and may add roles and attributes
   * from claims); sub-agents keep only what their root agent can still hold.
   */
  private static Outcome resolve(Policy policy, AgentIdentity token, Map<String, Object> claims) {
    if (token.actorChain().isEmpty()) {
      return switch (policy.agentForOidc(token.issuer(), claims, token.credentialId())) {
        case OidcMatch.Mapped m -> new Known(m.agent(), Optional.of(new AgentIdentity(token.issuer(),
            m.agent().id(), "", m.tokenRoles(), m.tokenAttributes(), token.scopes(), List.of(), Optional.empty(),
            token.credentialId(), token.expiresAt())));
        case OidcMatch.Unmapped u -> refused(Reason.UNKNOWN_AGENT, u.message());
      };
    }
    String root = token.actorChain().getFirst();
    AgentSpec spec = policy.agents().get(root);
    if (spec == null) {
      return refused(Reason.UNKNOWN_AGENT, "the sub-agent token of " + token.agentId() + " was delegated by"
          + " agent '" + root + "', which is no longer defined in the policy");
    }
    if (!spec.version().equals(token.version())) {
      return refused(Reason.STALE_VERSION, "the sub-agent token of " + token.agentId() + " was issued for"
          + " version " + token.version() + " of agent '" + root + "', which has been rotated to " + spec.version()
          + "; exchange a new token");
    }
    Agent agent = policy.subAgent(root, token.agentId(), token.roles(), token.attributes(), token.actorChain(),
        token.credentialId()).orElseThrow();
    return new Known(agent, Optional.of(token));
  }

  private static Refused refused(Reason reason, String message) {
    return new Refused(new Rejected(reason, message));
  }

  private McpError error(Rejected rejected) {
    ObjectNode data = Json.object()
        .put("resource_metadata", credentials.metadata().metadataUrl())
        .put("reason", rejected.reason().name())
        .put(Pipeline.WWW_AUTHENTICATE, credentials.metadata().challenge(rejected));
    return new McpError(McpError.UNAUTHENTICATED, "Unauthorized: " + rejected.message(), data, rejected.status());
  }
}
