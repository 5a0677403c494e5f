package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.catalog.Catalog;
import dev.portcullis.catalog.CatalogException;
import dev.portcullis.catalog.Change;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.front.FrontOptions;
import dev.portcullis.front.HttpFront;
import dev.portcullis.json.Json;
import dev.portcullis.pipeline.Pipeline;
import dev.portcullis.pipeline.ServerIdentity;
import dev.portcullis.policy.PermissionSummary;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyWatcher;
import dev.portcullis.session.Sessions;
import dev.portcullis.toolapi.ToolApiHandler;
import dev.portcullis.upstream.Upstream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Portcullis: upstreams started and supervised, the catalog loaded, the audit log open, the pipeline and the
 * HTTP front listening. {@link #close()} stops accepting, lets in-flight calls finish, then stops the upstreams.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  public static final String VERSION = "0.1.0";

  private final AtomicReference<Policy> policy;
  private final UpstreamPool pool;
  private final Map<String, Upstream> upstreams;
  private final Catalog catalog;
  private final AuditLog audit;
  private final Sessions sessions;
  private final Pipeline pipeline;
  private final HttpFront front;
  private final Server server;
  private final AtomicBoolean stopping;
  private volatile PolicyWatcher watcher;
  private final URI baseUri;
  private final IdentityServices identity;

  private Gateway(Components c) {
    this.policy = c.policy;
    this.pool = c.pool;
    this.upstreams = c.pool.primaries();
    this.catalog = c.catalog;
    this.audit = c.audit;
    this.sessions = c.sessions;
    this.pipeline = c.pipeline;
    this.front = c.front;
    this.server = c.server;
    this.baseUri = c.baseUri;
    this.stopping = c.stopping;
    this.identity = c.identity;
  }

  private record Components(AtomicReference<Policy> policy, UpstreamPool pool, Catalog catalog, AuditLog audit,
      Sessions sessions, Pipeline pipeline, HttpFront front, Server server, URI baseUri, AtomicBoolean stopping,
      IdentityServices identity) {}

  /** Starts a gateway for a loaded policy. Fails, naming the cause, when an upstream or the catalog cannot start. */
  public static Gateway start(Policy loaded, AuditLog audit) throws Exception {
    return start(loaded, loaded.server(), audit);
  }

  /**
   * Starts a gateway listening as {@code serverConfig} says (the command line may override the file's port). Fails,
   * naming the cause, when an upstream, the catalog, the signing keys or an identity provider the policy names cannot
   * be used.
   */
  public static Gateway start(Policy loaded, ServerConfig serverConfig, AuditLog audit) throws Exception {
    AtomicReference<Policy> policy = new AtomicReference<>(loaded);
    UpstreamPool pool = UpstreamPool.start(loaded.upstreams().values());
    Map<String, Upstream> upstreams = pool.primaries();
    Catalog catalog;
    try {
      List<UpstreamSource> sources = new ArrayList<>();
      for (UpstreamConfig config : loaded.upstreams().values()) {
        sources.add(new UpstreamSource(upstreams.get(config.name()), config.prefix()));
      }
      catalog = new Catalog(sources, name -> policy.get().toolFacts(name).labels());
      catalog.load();
      loaded.checkCatalog(catalog.tools()).forEach(problem -> LOG.warn("policy: {}", problem));
    } catch (CatalogException e) {
      pool.close();
      throw e;
    }
    Sessions sessions = new Sessions(Duration.ofHours(1));

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("portcullis-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(serverConfig.bind());
    connector.setPort(serverConfig.port());
    server.addConnector(connector);
    server.setStopTimeout(Duration.ofSeconds(20).toMillis());

    // Bind first: the resource URI (the audience agents' tokens must carry) and the issuer name the real port.
    IdentityServices credentials;
    URI baseUri;
    try {
      connector.open();
      baseUri = serverConfig.publicUrl().orElse(URI.create("http://" + hostForUrl(serverConfig.bind()) + ":"
          + connector.getLocalPort()));
      credentials = IdentityServices.start(loaded, serverConfig, baseUri, Clock.systemUTC());
    } catch (Exception e) {
      connector.close();
      pool.close();
      throw e;
    }
    String metadataPath = credentials.metadata().wellKnownPath();
    ServerIdentity identity = new ServerIdentity(VERSION,
        (p, agent) -> PermissionSummary.render(p, agent, Optional.of(catalog.tools())));
    Pipeline pipeline = new Pipeline(policy::get, sessions, catalog, pool, audit, identity,
        new Pipeline.Options(metadataPath, Duration.ofMinutes(5), Duration.ofMinutes(10), new Pipeline.Credentials(
            credentials::authenticate, credentials.metadata(), credentials.issuer())));
    FrontOptions frontOptions = new FrontOptions("/mcp", serverConfig.limits().maxBodyBytes(),
        serverConfig.publicUrl().map(u -> Set.of(u.getHost())).orElse(Set.of()), Set.copyOf(serverConfig.allowedOrigins()),
        metadataPath, Duration.ofMinutes(10), Duration.ofSeconds(15));
    HttpFront front = new HttpFront(pipeline, pipeline.authenticator(), frontOptions);
    catalog.addListener(front::publish);
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicReference<Gateway> self = new AtomicReference<>();
    AdminHandler admin = new AdminHandler(new Readiness(upstreams.values(), stopping::get)::report, credentials,
        () -> self.get() == null ? Json.object() : self.get().policyStatus());
    Handler tokens = credentials.tokenEndpoint(pipeline.subjectAuthenticator(), audit, policy::get);
    server.setHandler(new GracefulHandler(new Handler.Sequence(front,
        new ToolApiHandler(pipeline, serverConfig.limits().maxBodyBytes()), admin, tokens)));
    server.start();
    Gateway gateway = new Gateway(new Components(policy, pool, catalog, audit, sessions, pipeline, front, server, baseUri,
        stopping, credentials));
    self.set(gateway);
    upstreams.values().forEach(u -> u.addListener(n -> gateway.onUpstreamNotification(u.name(), n)));
    LOG.info("Portcullis {} listening on {} ({} upstreams, {} tools, policy {})", VERSION, gateway.mcpUrl(), upstreams.size(),
        catalog.tools().size(), loaded.version().substring(0, 12));
    return gateway;
  }

  private void onUpstreamNotification(String upstream, ObjectNode notification) {
    switch (notification.path("method").asText()) {
      case "notifications/tools/list_changed" -> catalog.refresh(upstream, Change.Kind.TOOLS);
      case "notifications/prompts/list_changed" -> catalog.refresh(upstream, Change.Kind.PROMPTS);
      case "notifications/resources/list_changed" -> catalog.refresh(upstream, Change.Kind.RESOURCES);
      case "notifications/resources/updated" -> catalog.resourceUpdated(notification.path("params").path("uri").asText());
      default -> LOG.debug("upstream {}: ignoring {}", upstream, notification.path("method").asText());
    }
  }

  private static String hostForUrl(String bind) {
    if ("0.0.0.0".equals(bind) || "::".equals(bind)) {
      return "127.0.0.1";
    }
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  /** The MCP endpoint's URL. */
  public URI mcpUrl() {
    return baseUri.resolve("/mcp");
  }

  public URI baseUri() {
    return baseUri;
  }

  public Catalog catalog() {
    return catalog;
  }

  public Policy policy() {
    return policy.get();
  }

  /**
   * Replaces the policy for requests that arrive from now on; in-flight requests keep theirs. Identity providers the
   * new policy names are discovered first. An agent whose version changed (or that was removed) loses every session
   * and all per-credential state, its sub-agents' included, and sub-agent tokens of its old version stop working.
   *
   * @throws IllegalStateException when a newly named identity provider cannot be discovered; the old policy stays
   */
  public void swapPolicy(Policy next) {
    identity.policyChanged(next);
    Policy previous = policy.getAndSet(next);
    previous.agents().forEach((id, before) -> {
      var after = next.agents().get(id);
      if (after == null || !after.version().equals(before.version())) {
        int revoked = sessions.revokeAgent(id);
        LOG.info("agent {} {}: revoked the sessions and state of {} credential(s) of its old version", id,
            after == null ? "was removed" : "changed version " + abbreviate(before.version()) + " -> "
                + abbreviate(after.version()), revoked);
      }
    });
    next.checkCatalog(catalog.tools()).forEach(problem -> LOG.warn("policy: {}", problem));
  }

  /**
   * Reloads the policy when its file changes: a valid edit is swapped in atomically; an invalid one keeps the last
   * good policy, is logged, and shows in {@code /admin/policy}.
   */
  public void watchPolicy(Path fileOrDir, Duration interval) {
    watcher = PolicyWatcher.start(fileOrDir, policy.get(), interval, new PolicyWatcher.Listener() {
      @Override
      public void reloaded(Policy previous, Policy current) {
        LOG.info("policy reloaded: {} -> {}", abbreviate(previous.version()), abbreviate(current.version()));
        try {
          swapPolicy(current);
        } catch (IllegalStateException e) {
          LOG.error("policy {} not applied: {}", abbreviate(current.version()), e.getMessage());
        }
      }

      @Override
      public void rejected(PolicyException error) {
        LOG.error("policy edit rejected, keeping version {}:\n{}", abbreviate(policy.get().version()), error.getMessage());
      }
    });
  }

  /** The policy's version and reload history, for the admin API. */
  ObjectNode policyStatus() {
    ObjectNode status = Json.object().put("version", policy.get().version());
    PolicyWatcher w = watcher;
    if (w != null) {
      status.put("reloads", w.reloads()).put("rejected", w.failures());
      w.lastError().ifPresent(e -> status.put("lastError", e.getMessage()));
    }
    return status;
  }

  private static String abbreviate(String version) {
    return version.length() > 12 ? version.substring(0, 12) : version;
  }

  /** The JWKS URL tool servers verify per-call tokens with. */
  public URI jwksUrl() {
    return baseUri.resolve(IdentityServices.JWKS_PATH);
  }

  /** The {@code iss} of the gateway's per-call and sub-agent tokens (tool servers' verifiers expect it). */
  public String issuer() {
    return identity.issuer().issuer();
  }

  /** The resource URI agents' access tokens must name as audience (RFC 8707). */
  public String resource() {
    return identity.resource();
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public Sessions sessions() {
    return sessions;
  }

  /** Stops accepting requests, lets in-flight ones finish (20 s at most), then stops upstreams and the audit log. */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    if (watcher != null) {
      watcher.close();
    }
    front.closeStreams();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    pool.close();
    identity.close();
    audit.close();
  }
}
