package dev.portcullis.mcp;

import java.util.List;
import java.util.Set;

/** Protocol constants shared by both wires: revisions, {@code _meta} keys, method names, header names. */
public final class Mcp {
  /** The stateless revision (no initialize, no sessions, per-request {@code _meta}). */
  public static final String V2026 = "2026-07-28";

  public static final String V2025_11 = "2025-11-25";
  public static final String V2025_06 = "2025-06-18";
  /**
   * Revisions Portcullis serves to agents, newest first. 2025-03-26 is not among them: its JSON-RPC batches would let
   * one POST carry calls that the headers and the audit entry describe as one; a client asking for it is offered
   * 2025-11-25 at {@code initialize}.
   */
  public static final List<String> SUPPORTED = List.of(V2026, V2025_11, V2025_06);

  /** Stateful revisions, negotiated with {@code initialize}. */
  public static final Set<String> LEGACY = Set.of(V2025_11, V2025_06);

  public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
  public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
  public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
  public static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
  public static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
  public static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

  /** Portcullis' own {@code _meta} prefix: session handles and machine-readable denials live under it. */
  public static final String META_PREFIX = "dev.portcullis/";
  public static final String META_SESSION = META_PREFIX + "session";
  public static final String META_DENIAL = META_PREFIX + "denial";

  public static final String HEADER_PROTOCOL_VERSION = "MCP-Protocol-Version";
  public static final String HEADER_METHOD = "Mcp-Method";
  public static final String HEADER_NAME = "Mcp-Name";
  public static final String HEADER_SESSION_ID = "Mcp-Session-Id";
  public static final String HEADER_PARAM_PREFIX = "Mcp-Param-";

  /** Methods whose {@code Mcp-Name} header mirrors {@code params.name} or {@code params.uri}. */
  public static final Set<String> NAMED_METHODS = Set.of("tools/call", "prompts/get", "resources/read");

  private Mcp() {}

  public static boolean isModern(String version) {
    return V2026.equals(version);
  }
}
