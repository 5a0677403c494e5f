package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Moves JSON-RPC messages to and from one upstream: a supervised stdio process or a Streamable HTTP endpoint. */
interface Transport {

  /** Called once before {@link #open()}: where incoming messages and lifecycle events go. */
  void bind(Inbound inbound);

  /** Launches the process or prepares the HTTP client (resolving secrets); fails naming the fix. */
  void open() throws UpstreamException;

  /**
   * Sends the request of {@code exchange}. Stdio returns once written (the reader completes the exchange); HTTP reads
   * the response on the calling thread and returns once the exchange is complete or failed.
   */
  void send(Exchange exchange, ObjectNode message) throws UpstreamException;

  /** Sends a notification or a response to a server request; {@code protocolVersion} is the negotiated one. */
  void sendOneWay(ObjectNode message, String protocolVersion) throws UpstreamException;

  /** Negotiation finished (again): HTTP opens the 2025 GET stream. */
  void negotiated(UpstreamInfo info);

  /** Sees each answer before the caller does (HTTP learns {@code x-mcp-header} declarations from tools/list). */
  default void inspect(Exchange exchange, Reply reply) {}

  /** Whether all messages share one channel (stdio): notifications then need attribution and async delivery. */
  boolean sharedChannel();

  void close();

  /** How the transport's process last exited; empty for HTTP and for a process that has not exited. */
  default java.util.Optional<ProcessExit> lastExit() {
    return java.util.Optional.empty();
  }

  /** Where a transport delivers what arrives. */
  interface Inbound {
    /** A message from the upstream; {@code stream} is the exchange whose own response stream carried it, or null. */
    void onMessage(ObjectNode message, Exchange stream);

    /**
     * The channel broke (a process exited): every pending exchange fails with {@code cause}. Returns whether the
     * transport should reconnect (false while starting or after close).
     */
    boolean onDisconnect(UpstreamException cause);

    /** The channel is back (a process relaunched): negotiate again. */
    void onReconnect() throws UpstreamException;

    /** The HTTP session expired: run the 2025 handshake again (the transport has dropped the session id). */
    void renegotiate() throws UpstreamException;
  }
}
