package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEntry;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.identity.AgentIdentity;
import dev.portcullis.identity.AuthResult;
import dev.portcullis.identity.BearerAuthenticator;
import dev.portcullis.identity.OidcAgentMapping;
import dev.portcullis.identity.OidcValidator;
import dev.portcullis.identity.ProtectedResourceMetadata;
import dev.portcullis.identity.SubAgentTokenValidator;
import dev.portcullis.identity.TokenExchange;
import dev.portcullis.identity.TokenExchangeHandler;
import dev.portcullis.json.Json;
import dev.portcullis.policy.AgentSpec;
import dev.portcullis.policy.Policy;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.TokenIssuer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's identity, assembled at start from the policy: its signing keys ({@code <data dir>/signing-keys},
 * re-read every few seconds so {@code keys rotate-signing} takes effect), the per-call token issuer, one validator per
 * identity provider the policy's agents name in {@code oidc.issuer} (discovered now: an unreachable IdP stops the
 * start), the validator of its own sub-agent tokens, token exchange, and the OAuth metadata documents it serves.
 */
final class IdentityServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityServices.class);
  static final String TOKEN_PATH = "/oauth/token";
  static final String JWKS_PATH = "/.well-known/jwks.json";
  static final String AUTHORIZATION_SERVER_PATH = "/.well-known/oauth-authorization-server";
  private static final Duration KEY_RELOAD = Duration.ofSeconds(5);

  private final URI base;
  private final String resource;
  private final SigningKeys keys;
  private final TokenIssuer issuer;
  private final SubAgentTokenValidator subAgents;
  private final TokenExchange exchange;
  private final AtomicReference<Map<String, OidcValidator>> idps;
  private final AtomicReference<BearerAuthenticator> bearer;
  private final ScheduledExecutorService reloader;

  private IdentityServices(URI base, String resource, SigningKeys keys, TokenIssuer issuer, Clock clock,
      Map<String, OidcValidator> idps) {
    this.base = base;
    this.resource = resource;
    this.keys = keys;
    this.issuer = issuer;
    this.subAgents = new SubAgentTokenValidator(issuer.issuer(), resource, keys, Duration.ofSeconds(5), clock);
    this.exchange = new TokenExchange(issuer.issuer(), resource, keys, clock);
    this.idps = new AtomicReference<>(Map.copyOf(idps));
    this.bearer = new AtomicReference<>(new BearerAuthenticator(Optional.of(subAgents), List.copyOf(idps.values())));
    this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "portcullis-signing-keys");
      t.setDaemon(true);
      return t;
    });
    reloader.scheduleWithFixedDelay(this::reloadKeys, KEY_RELOAD.toMillis(), KEY_RELOAD.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the signing keys and discovers every identity provider the policy names.
   *
   * @param base the gateway's base URL (public URL, or the listening address)
   * @throws IllegalStateException when an identity provider cannot be discovered, naming it and the agent that needs it
   */
  static IdentityServices start(Policy policy, ServerConfig server, URI base, Clock clock) {
    String resource = base.resolve("/mcp").toString();
    String issuerUrl = server.credentials().issuer().map(URI::toString).orElse(base.toString().replaceAll("/+$", ""));
    SigningKeys keys = SigningKeys.open(server.dataDir().resolve("signing-keys"), SigningKeys.DEFAULT_OVERLAP, clock,
        server.credentials().signer());
    LOG.info("signing tokens (ES256) with {} (server.credentials.signer: {})", keys.signerDescription(),
        server.credentials().signer().configName());
    TokenIssuer issuer = new TokenIssuer(issuerUrl, keys, server.credentials().lifetime(), clock);
    return new IdentityServices(base, resource, keys, issuer, clock, discover(policy, resource, Map.of()));
  }

  /** Validators for every IdP the policy names, reusing those already discovered. */
  private static Map<String, OidcValidator> discover(Policy policy, String resource, Map<String, OidcValidator> known) {
    Map<String, OidcValidator> validators = new LinkedHashMap<>();
    for (AgentSpec agent : policy.agents().values()) {
      if (agent.oidc().isEmpty() || validators.containsKey(agent.oidc().get().issuer())) {
        continue;
      }
      String idp = agent.oidc().get().issuer();
      OidcValidator validator = known.get(idp);
      if (validator == null) {
        try {
          validator = OidcValidator.builder(OidcAgentMapping.of(idp), resource).build();
        } catch (RuntimeException e) {
          throw new IllegalStateException("identity provider " + idp + " (oidc.issuer of agent '" + agent.id()
              + "') cannot be used: " + e.getMessage() + "; start it, or correct the issuer URL in " + agent.mark(), e);
        }
      }
      validators.put(idp, validator);
    }
    return validators;
  }

  /**
   * Adopts the identity providers of a reloaded policy, discovering new ones.
   *
   * @throws IllegalStateException when a new identity provider cannot be discovered (the old ones stay in force)
   */
  void policyChanged(Policy next) {
    Map<String, OidcValidator> current = idps.get();
    Map<String, OidcValidator> updated = discover(next, resource, current);
    if (!updated.keySet().equals(current.keySet())) {
      bearer.set(new BearerAuthenticator(Optional.of(subAgents), List.copyOf(updated.values())));
      idps.set(Map.copyOf(updated));
      LOG.info("trusted identity providers are now {}", updated.keySet());
    }
  }

  /** Validates a bearer token that is not an API key, with the validators of the current policy. */
  AuthResult authenticate(String token) {
    return bearer.get().authenticate(token);
  }

  TokenIssuer issuer() {
    return issuer;
  }

  SigningKeys keys() {
    return keys;
  }

  String resource() {
    return resource;
  }

  /** The Protected Resource Metadata: the trusted IdPs, then the gateway itself (the token-exchange server). */
  ProtectedResourceMetadata metadata() {
    List<String> servers = new ArrayList<>(idps.get().keySet());
    servers.add(issuer.issuer());
    return new ProtectedResourceMetadata(resource, servers, List.of(), Optional.of("Portcullis MCP gateway"));
  }

  /** RFC 8414 metadata of the gateway as an authorization server: it only exchanges tokens. */
  ObjectNode authorizationServerMetadata() {
    ObjectNode doc = Json.object();
    doc.put("issuer", issuer.issuer());
    doc.put("token_endpoint", base.resolve(TOKEN_PATH).toString());
    doc.put("jwks_uri", base.resolve(JWKS_PATH).toString());
    doc.putArray("grant_types_supported").add(TokenExchangeHandler.GRANT_TYPE);
    doc.putArray("token_endpoint_auth_methods_supported").add("none");
    doc.putArray("response_types_supported");
    return doc;
  }

  /**
   * The token-exchange endpoint at {@value #TOKEN_PATH}: the subject token is authenticated as a call's credential
   * would be, and every exchange by an authenticated parent, issued or refused, is written to the audit log before
   * the answer goes out (no audit entry, no token).
   */
  Handler tokenEndpoint(Function<String, AuthResult> subjectAuthenticator, AuditLog audit, Supplier<Policy> policy) {
    TokenExchangeHandler handler = new TokenExchangeHandler(exchange, subjectAuthenticator,
        (parent, outcome) -> record(audit, policy.get(), parent, outcome));
    return new Handler.Wrapper(handler) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return TOKEN_PATH.equals(Request.getPathInContext(request)) && super.handle(request, response, callback);
      }
    };
  }

  /** One audit entry per exchange: the parent as the agent, the sub-agent as what it acted on. */
  private static void record(AuditLog audit, Policy policy, AgentIdentity parent, TokenExchange.Outcome outcome) {
    AuditEntry.Builder entry = AuditEntry.builder()
        .agent(parent.agentId())
        .actorChain(parent.actorChain())
        .method("token/exchange")
        .policyVersion(policy.version());
    switch (outcome) {
      case TokenExchange.Issued issued -> {
        AgentIdentity sub = issued.subAgent();
        ObjectNode result = Json.object().put("sub_agent", sub.agentId()).put("scope", issued.scope())
            .put("expires_in", issued.expiresIn()).put("id", sub.credentialId());
        sub.actorChain().forEach(result.putArray("actor_chain")::add);
        entry.tool(sub.agentId())
            .decision(AuditEntry.Verdict.ALLOW, "token-exchange", "issued a token for sub-agent " + sub.agentId()
                + " (" + issued.scope() + ", " + issued.expiresIn() + " s)")
            .outcome(AuditEntry.Outcome.OK)
            .result(result);
      }
      case TokenExchange.Refused refused -> entry
          .decision(AuditEntry.Verdict.DENY, "token-exchange", refused.description())
          .outcome(AuditEntry.Outcome.NOT_FORWARDED)
          .result(Json.object().put("error", refused.error()).put("error_description", refused.description()));
    }
    try {
      audit.appendAndWait(entry.build());
    } catch (CompletionException | IllegalStateException e) {
      LOG.error("audit log write failed; refusing the token exchange of {}: {}", parent.agentId(), e.toString());
      throw new IllegalStateException("the token exchange could not be recorded in the audit log", e);
    }
  }

  @Override
  public void close() {
    reloader.shutdownNow();
  }

  private void reloadKeys() {
    try {
      keys.reload();
    } catch (RuntimeException e) {
      LOG.warn("signing keys could not be re-read; signing with the ones loaded before: {}", e.getMessage());
    }
  }
}
