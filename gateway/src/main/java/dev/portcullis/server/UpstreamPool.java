package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.json.Json;
import dev.portcullis.pipeline.Upstreams;
import dev.portcullis.upstream.Upstream;
import dev.portcullis.upstream.UpstreamException;
import dev.portcullis.upstream.UpstreamOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configured upstream, started and supervised. A 2026 upstream learns each client's capabilities from the
 * request; a 2025 upstream learns them once per session, at {@code initialize}. So for a 2025 HTTP upstream the pool
 * opens one session per set of client capabilities (elicitation, sampling, roots: at most eight) and routes each call
 * to the session that declares exactly what the agent's client declared. A 2025 stdio upstream has one process and one
 * session declaring all three; requests its client cannot answer are refused by the gateway (docs/compatibility.md).
 */
final class UpstreamPool implements Upstreams, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);
  private static final List<String> RELAYED = List.of("elicitation", "roots", "sampling");

  private final Map<String, UpstreamConfig> configs = new LinkedHashMap<>();
  private final Map<String, Upstream> primaries = new LinkedHashMap<>();
  private final Map<String, Upstream> variants = new ConcurrentHashMap<>();
  private final UpstreamOptions options;

  private UpstreamPool(UpstreamOptions options) {
    this.options = options;
  }

  /** Starts every upstream; on failure stops the ones already started and rethrows. */
  static UpstreamPool start(Collection<UpstreamConfig> configs) throws UpstreamException {
    UpstreamPool pool = new UpstreamPool(UpstreamOptions.defaults().withClientCapabilities(capabilities(RELAYED)));
    try {
      for (UpstreamConfig config : configs) {
        Upstream upstream = Upstream.of(config, pool.options);
        pool.configs.put(config.name(), config);
        pool.primaries.put(config.name(), upstream);
        upstream.start();
        LOG.info("upstream {}: {} wire, protocol {}", config.name(), upstream.info().wire(), upstream.info().protocolVersion());
      }
    } catch (UpstreamException | RuntimeException e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** The upstreams as configured, one each (their lists feed the catalog). */
  Map<String, Upstream> primaries() {
    return primaries;
  }

  @Override
  public Optional<Upstream> forClient(String name, ObjectNode clientCapabilities) throws UpstreamException {
    Upstream primary = primaries.get(name);
    if (primary == null) {
      return Optional.empty();
    }
    UpstreamConfig config = configs.get(name);
    List<String> declared = RELAYED.stream().filter(clientCapabilities::has).toList();
    if (declared.size() == RELAYED.size() || config.isStdio() || primary.info().stateless()) {
      return Optional.of(primary);
    }
    String key = name + "|" + String.join(",", declared);
    Upstream variant = variants.get(key);
    if (variant == null) {
      synchronized (this) {
        variant = variants.get(key);
        if (variant == null) {
          variant = Upstream.of(config, options.withClientCapabilities(capabilities(declared)));
          variant.start();
          variants.put(key, variant);
          LOG.info("upstream {}: opened a session for clients declaring [{}]", name, String.join(", ", declared));
        }
      }
    }
    return Optional.of(variant);
  }

  private static ObjectNode capabilities(List<String> names) {
    ObjectNode capabilities = Json.object();
    for (String n : names) {
      ObjectNode c = capabilities.putObject(n);
      if ("elicitation".equals(n)) {
        c.putObject("form");
        c.putObject("url");
      }
    }
    return capabilities;
  }

  @Override
  public void close() {
    List<Upstream> all = new ArrayList<>(variants.values());
    all.addAll(primaries.values());
    all.forEach(Upstream::close);
  }
}
