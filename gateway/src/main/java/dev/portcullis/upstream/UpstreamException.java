package dev.portcullis.upstream;

import java.util.OptionalInt;

/**
 * A transport-level failure talking to an upstream: the upstream gave no answer the caller can relay. Each message
 * names the upstream and, where there is one, the fix. A JSON-RPC error the upstream sent is not an exception but a
 * {@link Reply.Error}.
 */
public final class UpstreamException extends Exception {

  /** Why the call failed. */
  public enum Kind {
    /** Not started, closed, crashed or restarting, or unreachable. */
    UNAVAILABLE,
    /** No answer within the call's timeout; the upstream stays usable. */
    TIMEOUT,
    /** The upstream broke the protocol: garbage, bad framing, a stream that ended without an answer. */
    PROTOCOL,
    /** The upstream answered with an HTTP error status and no JSON-RPC error body. */
    HTTP,
    /** The caller cancelled the call. */
    CANCELLED,
    /** The upstream refused a request Portcullis made for itself (negotiation, listing) with a JSON-RPC error. */
    REFUSED
  }

  private final Kind kind;
  private final String upstream;
  private final int httpStatus;

  public UpstreamException(Kind kind, String upstream, String message) {
    this(kind, upstream, message, -1, null);
  }

  public UpstreamException(Kind kind, String upstream, String message, Throwable cause) {
    this(kind, upstream, message, -1, cause);
  }

  UpstreamException(Kind kind, String upstream, String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.upstream = upstream;
    this.httpStatus = httpStatus;
  }

  public Kind kind() {
    return kind;
  }

  /** The configured name of the upstream that failed. */
  public String upstream() {
    return upstream;
  }

  /** The HTTP status for {@link Kind#HTTP}; empty otherwise. */
  public OptionalInt httpStatus() {
    return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }
}
