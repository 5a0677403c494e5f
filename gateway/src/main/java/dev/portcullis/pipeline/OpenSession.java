package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mcp.Mcp;
import dev.portcullis.mcp.McpError;
import dev.portcullis.session.Session;
import dev.portcullis.session.Sessions;
import java.util.Optional;

/**
 * Which Portcullis session the request belongs to. On the 2025 wire it is the protocol session (bound to the
 * credential at {@code initialize}); on the 2026 wire a signed handle echoed in {@code _meta}. Counters and labels the
 * policy reads belong to the credential, so a dropped or changed handle sheds nothing (docs/sessions.md).
 */
final class OpenSession implements Step {
  private final Sessions sessions;

  OpenSession(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public Reply apply(Exchange exchange, Chain next) {
    Optional<String> hint = exchange.sessionHint();
    switch (exchange.wire()) {
      case STATEFUL, STDIO -> {
        if ("initialize".equals(exchange.method()) || hint.isEmpty()) {
          exchange.session(sessions.open(exchange.agent()));
        } else {
          Optional<Session> session = sessions.find(hint.get(), exchange.agent());
          if (session.isEmpty()) {
            return Reply.error(McpError.of(McpError.INVALID_REQUEST, "Session not found: '" + hint.get()
                + "' is unknown, expired, or belongs to another credential; initialize a new session").withStatus(404));
          }
          exchange.session(session.get());
        }
        return next.proceed(exchange);
      }
      case STATELESS, HTTP_API -> {
        if (hint.isPresent()) {
          try {
            exchange.session(sessions.resolve(hint.get(), exchange.agent()));
          } catch (Sessions.InvalidHandle e) {
            return Reply.error(McpError.invalidParams("_meta " + Mcp.META_SESSION + ": " + e.getMessage()));
          }
        } else {
          exchange.session(sessions.begin(exchange.agent())); // stored only if its handle comes back
        }
        Reply reply = next.proceed(exchange);
        if (reply instanceof Reply.Result r && exchange.wire() == Exchange.Wire.STATELESS) {
          ObjectNode meta = r.result().has("_meta") && r.result().get("_meta").isObject()
              ? (ObjectNode) r.result().get("_meta") : r.result().putObject("_meta");
          meta.put(Mcp.META_SESSION, sessions.handle(exchange.session()));
          if (!r.result().has("resultType")) {
            r.result().put("resultType", "complete"); // denials are built wire-blind; every 2026 result needs one
          }
        }
        return reply;
      }
    }
    throw new IllegalStateException("unknown wire " + exchange.wire());
  }
}
