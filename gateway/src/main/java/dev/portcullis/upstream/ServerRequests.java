package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;

/**
 * Answers requests an upstream sends to Portcullis (2025 wire): {@code ping} at once; anything else through the
 * handler of the call it belongs to, or of the upstream when it belongs to none.
 *
 * <p>On HTTP a request on a call's own response stream belongs to that call. On stdio nothing links a request to a
 * call, so a request other than {@code roots/list} is given to the call in flight when there is exactly one (and it is
 * a call that can need input: a tool call, a prompt, a resource read, a completion), and to the upstream's handler
 * otherwise: never to a guessed call.
 */
final class ServerRequests {
  private static final java.util.Set<String> MAY_ASK = java.util.Set.of("tools/call", "prompts/get",
      "resources/read", "completion/complete");

  private ServerRequests() {}

  static void handle(McpUpstream upstream, ObjectNode request, Exchange stream) {
    JsonNode id = request.get("id");
    String method = request.path("method").asText();
    if (method.equals("ping")) {
      Thread.startVirtualThread(() -> upstream.respond(id, Reply.result(Json.object())));
      return;
    }
    Exchange owner = stream != null ? stream : attribute(upstream, method);
    ServerRequestHandler handler = owner != null ? owner.ctx.serverRequests() : upstream.serverRequests();
    // The call's timer pauses before the reader moves on; each request is answered on its own virtual thread, so a
    // server that sends several requests at once (as MRTR inputs translate to) is not answered one by one.
    if (owner != null) {
      owner.pauseTimer();
    }
    Runnable work = () -> {
      Reply reply;
      try {
        reply = handler.handle(request);
        if (reply == null) {
          reply = Reply.error(Mcp.INTERNAL_ERROR, "Portcullis produced no answer to " + method);
        }
      } catch (RuntimeException e) {
        McpUpstream.LOG.warn("upstream {}: answering its {} failed", upstream.name(), method, e);
        reply = Reply.error(Mcp.INTERNAL_ERROR, "Portcullis could not answer " + method + ": " + e.getMessage());
      } finally {
        if (owner != null) {
          owner.resumeTimer();
        }
      }
      upstream.respond(id, reply);
    };
    Thread.startVirtualThread(work);
  }

  private static Exchange attribute(McpUpstream upstream, String method) {
    if (method.equals("roots/list")) {
      return null;
    }
    Exchange only = null;
    for (Exchange ex : upstream.inFlight()) {
      if (ex.method.equals(Mcp.LISTEN) || ex.isDone()) {
        continue;
      }
      if (only != null) {
        return null;
      }
      only = ex;
    }
    return only != null && MAY_ASK.contains(only.method) ? only : null;
  }
}
