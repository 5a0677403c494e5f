package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The per-request {@code _meta} envelope of the 2026 wire: protocol version, client capabilities, log level. */
record Envelope(String protocolVersion, ObjectNode clientCapabilities, String logLevel) {
  static final String VERSION = "io.modelcontextprotocol/protocolVersion";
  static final String CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
  static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";

  /** The protocol version {@code _meta} names, or null when absent. */
  static String declaredVersion(ObjectNode params) {
    JsonNode version = params == null ? null : params.path("_meta").get(VERSION);
    return version != null && version.isTextual() ? version.asText() : null;
  }

  /** Reads and checks the envelope; a missing or malformed field is -32602 (HTTP 400). */
  static Envelope read(ObjectNode params) {
    JsonNode meta = params.get("_meta");
    if (meta == null || !meta.isObject()) {
      throw McpError.badEnvelope("Invalid params: params._meta is required on the 2026-07-28 wire and must carry "
          + VERSION + " and " + CAPABILITIES);
    }
    JsonNode version = meta.get(VERSION);
    if (version == null || !version.isTextual() || version.asText().isBlank()) {
      throw McpError.badEnvelope("Invalid params: _meta." + VERSION + " is required (e.g. \"2026-07-28\")");
    }
    JsonNode capabilities = meta.get(CAPABILITIES);
    if (!(capabilities instanceof ObjectNode caps)) {
      throw McpError.badEnvelope("Invalid params: _meta." + CAPABILITIES
          + " is required and must be an object ({} declares no optional capabilities)");
    }
    JsonNode level = meta.get(LOG_LEVEL);
    String logLevel = null;
    if (level != null) {
      if (!level.isTextual() || !RequestContext.LEVELS.contains(level.asText())) {
        throw McpError.invalidParams("Invalid params: _meta." + LOG_LEVEL + " '" + level.asText()
            + "' is not a log level; use one of " + RequestContext.LEVELS);
      }
      logLevel = level.asText();
    }
    return new Envelope(version.asText(), caps, logLevel);
  }

  /** Throws UnsupportedProtocolVersionError (-32022, HTTP 400) unless the version is a 2026-wire version. */
  void requireSupported() {
    if (!Wire.STATELESS.versions().contains(protocolVersion)) {
      ObjectNode data = Json.object();
      Wire.STATELESS.versions().forEach(data.putArray("supported")::add);
      data.put("requested", protocolVersion);
      throw new McpError(McpError.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version '" + protocolVersion
          + "'; this server supports " + Wire.STATELESS.versions() + " with per-request _meta", data, 400);
    }
  }
}
