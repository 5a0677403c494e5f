package dev.portcullis.pipeline;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.catalog.Catalog;
import dev.portcullis.model.Agent;
import dev.portcullis.policy.Policy;
import dev.portcullis.session.Sessions;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request path, in order. Every request from every front (2026 and 2025 HTTP, stdio, the plain HTTP tool API)
 * passes through these steps; this list is the one place to read the whole path:
 *
 * <ol>
 *   <li>{@link Audit}: record the request and its answer in the hash chain before the answer is released;
 *   <li>{@link Authenticate}: API key (or the front's known agent) to an {@link Agent};
 *   <li>{@link OpenSession}: the Portcullis session, bound to the credential;
 *   <li>{@link LocalMethods}: discovery, handshake and per-agent lists, answered here;
 *   <li>{@link Resolve}: tool, prompt or resource name to catalog entry and upstream;
 *   <li>{@link Validate}: arguments against the tool's schema and the limits;
 *   <li>{@link Decide}: the policy's decision (deny, approval, dry run, allow);
 *   <li>{@link Inspect}: classify the outcome, filter the result, collect flow labels;
 *   <li>{@link Forward}: call the upstream, bridging the two wires.
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
    this.authenticate = new Authenticate(policy, options.resourceMetadataUrl());
    this.steps = List.of(
        new Audit(audit),
        authenticate,
        new OpenSession(sessions),
        new LocalMethods(catalog, identity, options.listTtl().toMillis()),
        new Resolve(catalog),
        new Validate(),
        new Decide(),
        new Inspect(),
        new Forward(upstreams, new ParkedCalls(options.inputTimeout())));
  }

  /**
   * Pipeline settings.
   *
   * @param resourceMetadataUrl named in 401 answers so clients can discover how to authenticate
   * @param listTtl the {@code ttlMs} given to clients for list results
   * @param inputTimeout how long a parked upstream call waits for the agent's input
   */
  public record Options(String resourceMetadataUrl, Duration listTtl, Duration inputTimeout) {}

  /** Serves one request. Never throws for bad input: every failure is a {@link Reply.Error} or a denial result. */
  public Reply handle(Exchange exchange) {
    exchange.policy(policy.get());
    return Chain.start(steps, exchange);
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
