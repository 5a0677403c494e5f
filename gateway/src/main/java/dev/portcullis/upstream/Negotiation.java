package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds out which wire an upstream speaks: probe {@code server/discover} (2026-07-28) and fall back to
 * {@code initialize} (2025-11-25, accepting 2025-06-18 or 2025-03-26 if that is what the server answers) when the
 * server is legacy, as the 2026 spec's backward-compatibility sections describe.
 */
final class Negotiation {

  /** Sends negotiation messages through the upstream's normal machinery. */
  interface Caller {
    Reply call(String method, ObjectNode params, String version, boolean modern, Duration timeout)
        throws UpstreamException;

    void notify(ObjectNode notification, String version) throws UpstreamException;
  }

  private static final String SPOKEN = Mcp.MODERN + ", " + String.join(", ", Mcp.LEGACY);

  private final String name;
  private final UpstreamOptions options;
  private final Duration timeout;
  private final Caller caller;

  Negotiation(String name, UpstreamOptions options, Duration timeout, Caller caller) {
    this.name = name;
    this.options = options;
    this.timeout = timeout;
    this.caller = caller;
  }

  UpstreamInfo run(Wire wire) throws UpstreamException {
    if (wire != Wire.STATEFUL) {
      Optional<UpstreamInfo> modern = discover(wire);
      if (modern.isPresent()) {
        return modern.get();
      }
      McpUpstream.LOG.info("upstream {} is a legacy MCP server (no server/discover); using initialize", name);
    }
    return initialize();
  }

  private Optional<UpstreamInfo> discover(Wire wire) throws UpstreamException {
    boolean auto = wire == Wire.AUTO;
    Duration probe = auto && options.probeTimeout().compareTo(timeout) < 0 ? options.probeTimeout() : timeout;
    Reply reply;
    try {
      reply = caller.call("server/discover", Json.object(), Mcp.MODERN, true, probe);
    } catch (UpstreamException e) {
      if (auto && e.kind() != UpstreamException.Kind.UNAVAILABLE && e.kind() != UpstreamException.Kind.CANCELLED) {
        McpUpstream.LOG.debug("upstream {}: server/discover failed ({}), trying initialize", name, e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
    switch (reply) {
      case Reply.Result r -> {
        ObjectNode result = r.result();
        List<String> versions = strings(result.path("supportedVersions"));
        if (versions.contains(Mcp.MODERN)) {
          ObjectNode meta = object(result.get(Mcp.META));
          ObjectNode serverInfo = meta.has(Mcp.SERVER_INFO) ? object(meta.get(Mcp.SERVER_INFO))
              : object(result.get("serverInfo"));
          return Optional.of(new UpstreamInfo(name, Wire.STATELESS, Mcp.MODERN, versions, serverInfo,
              object(result.get("capabilities")), text(result.get("instructions"))));
        }
        if (auto && versions.stream().anyMatch(Mcp.LEGACY::contains)) {
          return Optional.empty();
        }
        throw refused("supports MCP versions " + versions + " only; Portcullis speaks " + SPOKEN);
      }
      case Reply.Error e -> {
        if (e.code() == Mcp.UNSUPPORTED_VERSION) {
          List<String> supported = strings(e.data().map(d -> d.path("supported")).orElse(Json.NODES.missingNode()));
          if (auto && supported.stream().anyMatch(Mcp.LEGACY::contains)) {
            return Optional.empty();
          }
          throw refused("supports MCP versions " + supported + " only; Portcullis speaks " + SPOKEN);
        }
        if (Mcp.modernError(e.code())) {
          throw refused("refused server/discover: " + e.code() + " " + e.message());
        }
        if (auto) {
          return Optional.empty();
        }
        throw refused("is configured with wire: stateless but refused server/discover (" + e.code() + " "
            + e.message() + "); set wire: auto or stateful for this upstream");
      }
    }
  }

  private UpstreamInfo initialize() throws UpstreamException {
    ObjectNode params = Json.object().put("protocolVersion", Mcp.LEGACY.getFirst());
    params.set("capabilities", options.clientCapabilities().deepCopy());
    params.set("clientInfo", options.clientInfo().deepCopy());
    Reply reply = caller.call("initialize", params, null, false, timeout);
    if (reply instanceof Reply.Error e) {
      throw refused("refused initialize: " + e.code() + " " + e.message());
    }
    ObjectNode result = ((Reply.Result) reply).result();
    String version = result.path("protocolVersion").asText("");
    if (!Mcp.LEGACY.contains(version)) {
      throw refused("answered initialize with protocol version '" + version + "', which Portcullis does not speak"
          + " (it speaks " + SPOKEN + "); upgrade the server or its MCP SDK");
    }
    caller.notify(Mcp.notification("notifications/initialized", null), version);
    return new UpstreamInfo(name, Wire.STATEFUL, version, List.of(version), object(result.get("serverInfo")),
        object(result.get("capabilities")), text(result.get("instructions")));
  }

  private UpstreamException refused(String what) {
    return new UpstreamException(UpstreamException.Kind.REFUSED, name, "upstream " + name + " " + what);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static ObjectNode object(JsonNode node) {
    return node instanceof ObjectNode o ? o : Json.object();
  }

  private static Optional<String> text(JsonNode node) {
    return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }
}
