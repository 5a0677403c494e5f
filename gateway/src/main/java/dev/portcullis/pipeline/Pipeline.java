package dev.portcullis.pipeline;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.catalog.Catalog;
import dev.portcullis.identity.AuthResult;
import dev.portcullis.identity.ProtectedResourceMetadata;
import dev.portcullis.model.Agent;
import dev.portcullis.policy.Policy;
import dev.portcullis.session.Sessions;
import dev.portcullis.token.TokenIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The request path, in order. Every request from every front (2026 and 2025 HTTP, stdio, the plain HTTP tool API)
 * passes through these steps; this list is the one place to read the whole path:
 *
 * <ol>
 *   <li>{@link Audit}: record the request and its answer in the hash chain before the answer is released;
 *   <li>{@link Authenticate}: API key, OIDC access token or sub-agent token (or the front's known agent) to an
 *       {@link Agent};
 *   <li>{@link LimitDelegation}: a sub-agent token's own tool limit (403 {@code insufficient_scope} outside it);
 *   <li>{@link OpenSession}: the Portcullis session, bound to the credential;
 *   <li>{@link LocalMethods}: discovery, handshake and per-agent lists, answered here;
 *   <li>{@link Resolve}: tool, prompt or resource name to catalog entry and upstream;
 *   <li>{@link Validate}: arguments against the tool's schema and the limits;
 *   <li>{@link Decide}: the policy's decision (deny, approval, dry run, allow);
 *   <li>{@link Inspect}: classify the outcome, filter the result, collect flow labels;
 *   <li>{@link MintCredential}: the per-call token for this tool and these arguments;
 *   <li>{@link Forward}: call the upstream with that token (never the agent's), bridging the two wires.
 * </ol>
 */
public final class Pipeline {
  private final Supplier<Policy> policy;
  private final Sessions sessions;
  private final Authenticate authenticate;
  private final List<Step> steps;

  public Pipeline(Supplier<Policy> policy, Sessions sessions, Catalog catalog, Upstreams upstreams, AuditLog audit,
      ServerIdentity identity, Options options) {
    this.policy = policy;
    this.sessions = sessions;
    this.authenticate = new Authenticate(policy, options.credentials());
    this.steps = List.of(
        new Audit(audit),
        authenticate,
        new LimitDelegation(options.credentials().metadata()),
        new OpenSession(sessions),
        new LocalMethods(catalog, identity, options.listTtl().toMillis()),
        new Resolve(catalog),
        new Validate(),
        new Decide(),
        new Inspect(),
        new MintCredential(options.credentials().issuer()),
        new Forward(upstreams, new ParkedCalls(options.inputTimeout())));
  }

  /**
   * Pipeline settings.
   *
   * @param resourceMetadataUrl named in 401 answers so clients can discover how to authenticate
   * @param listTtl the {@code ttlMs} given to clients for list results
   * @param inputTimeout how long a parked upstream call waits for the agent's input
   * @param credentials how bearer tokens are checked and per-call tokens minted
   */
  public record Options(String resourceMetadataUrl, Duration listTtl, Duration inputTimeout, Credentials credentials) {}

  /**
   * How the pipeline checks agents' tokens and signs per-call tokens.
   *
   * @param tokens validates a bearer credential that is not an API key: an OIDC access token or a sub-agent token
   *     (called per request, so the gateway may swap validators when the policy names new identity providers)
   * @param metadata this gateway's Protected Resource Metadata, named in the challenges of 401 and 403 answers
   * @param issuer mints the per-call token of every forwarded {@code tools/call}; its issuer URL also names the
   *     gateway in the identity of an API-key agent that exchanges its key for a sub-agent token
   */
  public record Credentials(Function<String, AuthResult> tokens, ProtectedResourceMetadata metadata, TokenIssuer issuer) {
    public Credentials {
      Objects.requireNonNull(tokens, "tokens");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(issuer, "issuer");
    }
  }

  /**
   * The key in a refusal's {@code error.data} holding the {@code WWW-Authenticate} value the HTTP front answers with
   * (RFC 6750 / RFC 9728: {@code resource_metadata}, {@code error}, {@code error_description}, {@code scope}).
   */
  public static final String WWW_AUTHENTICATE = "www_authenticate";

  /** Serves one request. Never throws for bad input: every failure is a {@link Reply.Error} or a denial result. */
  public Reply handle(Exchange exchange) {
    exchange.policy(policy.get());
    return Chain.start(steps, exchange);
  }

  /**
   * Authenticates the {@code subject_token} of a token exchange exactly as a call's bearer credential, giving the
   * parent as the policy sees it (policy agent id, effective roles, version) with the token's own limits.
   */
  public Function<String, AuthResult> subjectAuthenticator() {
    return authenticate::subject;
  }

  /** Authentication for requests that carry no JSON-RPC message (GET and DELETE on the 2025 wire). */
  public Authenticator authenticator() {
    return authenticate;
  }

  /** True when the session exists and belongs to this agent's credential. */
  public boolean sessionBelongsTo(String sessionId, Agent agent) {
    return sessions.find(sessionId, agent).isPresent();
  }

  /** Ends a session the client closed. */
  public void endSession(String sessionId) {
    sessions.close(sessionId);
  }
}
