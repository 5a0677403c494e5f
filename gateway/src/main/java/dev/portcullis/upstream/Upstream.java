package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.json.Json;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One configured upstream MCP server, over stdio (launched and supervised) or Streamable HTTP, on the 2026-07-28
 * stateless wire or the 2025 stateful wire. Thread-safe; calls block, so callers use virtual threads. Many calls are
 * multiplexed on one process or one HTTP client.
 */
public interface Upstream extends AutoCloseable {

  /** Picks the stdio or HTTP client for {@code config}. Nothing runs until {@link #start()}. */
  static Upstream of(UpstreamConfig config, UpstreamOptions options) {
    Transport transport = config.isStdio() ? new StdioTransport(config, options) : new HttpTransport(config, options);
    return new McpUpstream(config, options, transport);
  }

  static Upstream of(UpstreamConfig config) {
    return of(config, UpstreamOptions.defaults());
  }

  String name();

  /**
   * Launches or connects, and negotiates the wire; fails naming the upstream and the fix. A failed start closes the
   * upstream (no process is left behind): create a new one to try again. Calling it on a started upstream does
   * nothing.
   */
  void start() throws UpstreamException;

  /** What negotiation learned; fails when the upstream has not been started. */
  UpstreamInfo info();

  /** Whether it serves calls now: up, restarting after its process exited (with how it exited), or down. */
  UpstreamState state();

  /**
   * Sends one request and waits for its answer. {@code params} is not modified: on the 2026 wire the upstream client
   * sets {@code _meta} protocol version (and client capabilities and info when absent); on the 2025 wire it drops the
   * 2026 {@code _meta} keys. A progress token in {@code _meta} is replaced by one unique to this upstream and restored
   * in the notifications passed to {@link CallContext#notifications()}.
   *
   * @return the upstream's result or JSON-RPC error, as sent
   * @throws UpstreamException when no answer can be had (unavailable, timeout, protocol, HTTP status, cancelled)
   */
  Reply request(String method, ObjectNode params, CallContext ctx) throws UpstreamException;

  /** Receives notifications not tied to a call: list changes, resource updates, unattributed log messages. */
  void addListener(Consumer<ObjectNode> listener);

  /** Answers upstream requests not tied to a call (a stdio server asking {@code roots/list} at any time). */
  void setServerRequestHandler(ServerRequestHandler handler);

  /** Stops the upstream: DELETE the session, or close stdin, wait, then SIGTERM, then SIGKILL. */
  @Override
  void close();

  /**
   * Lists every item of a paginated list ({@code tools/list} with {@code tools}, {@code prompts/list},
   * {@code resources/list}, {@code resources/templates/list} with {@code resourceTemplates}), following
   * {@code nextCursor}.
   */
  default ArrayNode listAll(String method, String itemsField) throws UpstreamException {
    ArrayNode all = Json.NODES.arrayNode();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      ObjectNode params = Json.object();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      Reply reply = request(method, params, CallContext.defaults());
      if (reply instanceof Reply.Error error) {
        throw new UpstreamException(UpstreamException.Kind.REFUSED, name(), "upstream " + name() + " refused "
            + method + ": " + error.code() + " " + error.message());
      }
      ObjectNode result = ((Reply.Result) reply).result();
      JsonNode items = result.path(itemsField);
      if (items.isArray()) {
        all.addAll((ArrayNode) items);
      }
      JsonNode next = result.get("nextCursor");
      cursor = next == null || next.isNull() ? null : next.asText();
      if (cursor != null && !seen.add(cursor)) {
        throw new UpstreamException(UpstreamException.Kind.PROTOCOL, name(), "upstream " + name()
            + " repeated the cursor '" + cursor + "' while paging " + method + "; its pagination is broken");
      }
    } while (cursor != null);
    return all;
  }
}
