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
import dev.portcullis.policy.Policy;
import dev.portcullis.session.Sessions;
import dev.portcullis.upstream.Upstream;
import dev.portcullis.upstream.UpstreamException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final Map<String, Upstream> upstreams;
  private final Catalog catalog;
  private final AuditLog audit;
  private final Sessions sessions;
  private final Pipeline pipeline;
  private final HttpFront front;
  private final Server server;
  private final AtomicBoolean stopping;
  private final URI baseUri;

  private Gateway(Components c) {
    this.policy = c.policy;
    this.upstreams = c.upstreams;
    this.catalog = c.catalog;
    this.audit = c.audit;
    this.sessions = c.sessions;
    this.pipeline = c.pipeline;
    this.front = c.front;
    this.server = c.server;
    this.baseUri = c.baseUri;
    this.stopping = c.stopping;
  }

  private record Components(AtomicReference<Policy> policy, Map<String, Upstream> upstreams, Catalog catalog, AuditLog audit,
      Sessions sessions, Pipeline pipeline, HttpFront front, Server server, URI baseUri, AtomicBoolean stopping) {}

  /** Starts a gateway for a loaded policy. Fails, naming the cause, when an upstream or the catalog cannot start. */
  public static Gateway start(Policy loaded, AuditLog audit) throws Exception {
    return start(loaded, loaded.server(), audit);
  }

  /** Starts a gateway listening as {@code serverConfig} says (the command line may override the file's port). */
  public static Gateway start(Policy loaded, ServerConfig serverConfig, AuditLog audit) throws Exception {
    AtomicReference<Policy> policy = new AtomicReference<>(loaded);
    Map<String, Upstream> upstreams = startUpstreams(loaded, serverConfig);
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
      upstreams.values().forEach(Upstream::close);
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

    // The port is known only after start; the metadata URL is computed lazily from the connector.
    AtomicReference<URI> base = new AtomicReference<>();
    String metadataPath = "/.well-known/oauth-protected-resource/mcp";
    ServerIdentity identity = new ServerIdentity(VERSION, (p, agent) -> PermissionSummaries.render(p, agent, catalog));
    Pipeline pipeline = new Pipeline(policy::get, sessions, catalog, upstreams, audit, loaded.argumentValidator(), identity,
        new Pipeline.Options(metadataPath, Duration.ofMinutes(5), Duration.ofMinutes(10)));
    FrontOptions frontOptions = new FrontOptions("/mcp", serverConfig.limits().maxBodyBytes(),
        serverConfig.publicUrl().map(u -> Set.of(u.getHost())).orElse(Set.of()), Set.copyOf(serverConfig.allowedOrigins()),
        metadataPath, Duration.ofMinutes(10), Duration.ofSeconds(15));
    HttpFront front = new HttpFront(pipeline, pipeline.authenticator(), frontOptions);
    catalog.addListener(front::publish);
    AtomicBoolean stopping = new AtomicBoolean();
    AdminHandler admin = new AdminHandler(() -> readiness(upstreams, stopping), () -> resourceMetadata(base.get(), serverConfig));
    server.setHandler(new GracefulHandler(new Handler.Sequence(front, new dev.portcullis.toolapi.ToolApiHandler(pipeline, serverConfig.limits().maxBodyBytes()), admin)));
    server.start();
    URI baseUri = serverConfig.publicUrl().orElse(URI.create("http://" + hostForUrl(serverConfig.bind()) + ":" + connector.getLocalPort()));
    base.set(baseUri);
    Gateway gateway = new Gateway(new Components(policy, upstreams, catalog, audit, sessions, pipeline, front, server, baseUri,
        stopping));
    upstreams.values().forEach(u -> u.addListener(n -> gateway.onUpstreamNotification(u.name(), n)));
    LOG.info("Portcullis {} listening on {} ({} upstreams, {} tools, policy {})", VERSION, gateway.mcpUrl(), upstreams.size(),
        catalog.tools().size(), loaded.version().substring(0, 12));
    return gateway;
  }

  private static Map<String, Upstream> startUpstreams(Policy loaded, ServerConfig serverConfig) throws UpstreamException {
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    try {
      for (UpstreamConfig config : loaded.upstreams().values()) {
        Upstream upstream = Upstream.of(config);
        upstreams.put(config.name(), upstream);
        upstream.start();
        LOG.info("upstream {}: {} wire, protocol {}", config.name(), upstream.info().wire(), upstream.info().protocolVersion());
      }
    } catch (UpstreamException | RuntimeException e) {
      upstreams.values().forEach(Upstream::close);
      throw e;
    }
    return upstreams;
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

  private static ObjectNode readiness(Map<String, Upstream> upstreams, AtomicBoolean stopping) {
    ObjectNode status = Json.object();
    boolean ready = !stopping.get();
    ObjectNode each = status.putObject("upstreams");
    for (Upstream upstream : upstreams.values()) {
      boolean up;
      try {
        upstream.info();
        up = true;
      } catch (RuntimeException e) {
        up = false;
      }
      each.put(upstream.name(), up ? "up" : "down");
      ready &= up;
    }
    status.put("ready", ready);
    return status;
  }

  private static ObjectNode resourceMetadata(URI base, ServerConfig server) {
    ObjectNode metadata = Json.object().put("resource", base == null ? "" : base.resolve("/mcp").toString());
    metadata.putArray("authorization_servers");
    metadata.putArray("bearer_methods_supported").add("header");
    metadata.put("resource_name", "Portcullis MCP gateway");
    return metadata;
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

  /** Replaces the policy for requests that arrive from now on; in-flight requests keep theirs. */
  public void swapPolicy(Policy next) {
    policy.set(next);
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
    front.closeStreams();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    upstreams.values().forEach(Upstream::close);
    audit.close();
  }
}
