package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/**
 * One request after the transport has read its envelope: the wire, the negotiated or per-request version and
 * capabilities, the log level (2026: from {@code _meta}; 2025: from the session), its exchange, and (HTTP only) a
 * header lookup.
 */
record Call(Wire wire, String protocolVersion, String method, JsonNode id, ObjectNode params,
            ObjectNode clientCapabilities, String requestLogLevel, Session session, Exchange exchange,
            UnaryOperator<String> httpHeaders) {

  /** The minimum level of log messages the client wants for this request, or null for none. */
  String logThreshold() {
    return wire == Wire.STATELESS ? requestLogLevel : session == null ? "info" : session.logLevel();
  }
}
