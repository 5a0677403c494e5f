package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.verifier.PerCallTokenVerifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What one {@link Upstream#request} needs besides the message: a timeout override, where the call's own
 * notifications go ({@code notifications/progress} with the caller's progress token restored,
 * {@code notifications/message} on the call's stream), who answers the upstream's requests during the call (2025
 * wire), and a cancellation handle.
 *
 * @param timeout overrides the upstream's configured timeout for this call
 * @param notifications receives the call's notifications in order, all before the call returns; it may run on a
 *     thread other than the caller's (stdio delivers from a virtual thread so a slow sink never stalls the reader)
 * @param serverRequests answers {@code elicitation/create}, {@code sampling/createMessage}, ... sent during the call
 * @param cancellation lets another thread cancel the call
 * @param credential mints the Portcullis per-call token for each request sent with this context (a retry or another
 *     round of the same call gets a fresh one): HTTP upstreams receive it as {@code Authorization: Bearer}, or as
 *     {@value #CALL_TOKEN_HEADER} when the upstream's own secret already takes {@code Authorization}; stdio
 *     upstreams in {@code params._meta["}{@value #CREDENTIAL_META}{@code "]}
 */
public record CallContext(
    Optional<Duration> timeout,
    Consumer<ObjectNode> notifications,
    ServerRequestHandler serverRequests,
    Cancellation cancellation,
    Optional<Supplier<String>> credential) {

  /** The HTTP header carrying the per-call token when {@code Authorization} holds the upstream's own secret. */
  public static final String CALL_TOKEN_HEADER = PerCallTokenVerifier.CALL_TOKEN_HEADER;
  /** The {@code _meta} key carrying the per-call token to stdio upstreams. */
  public static final String CREDENTIAL_META = PerCallTokenVerifier.CREDENTIAL_META;

  private static final Consumer<ObjectNode> IGNORE = n -> {};

  public CallContext {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(serverRequests, "serverRequests");
    Objects.requireNonNull(cancellation, "cancellation");
    Objects.requireNonNull(credential, "credential");
    timeout.ifPresent(t -> {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("call timeout must be positive, was " + t);
      }
    });
  }

  /** No timeout override, notifications dropped, server requests refused, a fresh cancellation handle. */
  public static CallContext defaults() {
    return new CallContext(Optional.empty(), IGNORE, ServerRequestHandler.REFUSE, new Cancellation(), Optional.empty());
  }

  public CallContext withTimeout(Duration value) {
    return new CallContext(Optional.of(value), notifications, serverRequests, cancellation, credential);
  }

  public CallContext withNotifications(Consumer<ObjectNode> value) {
    return new CallContext(timeout, value, serverRequests, cancellation, credential);
  }

  public CallContext withServerRequests(ServerRequestHandler value) {
    return new CallContext(timeout, notifications, value, cancellation, credential);
  }

  public CallContext withCancellation(Cancellation value) {
    return new CallContext(timeout, notifications, serverRequests, value, credential);
  }

  /** Sends a per-call token minted by {@code perRequest} with each request; null sends none. */
  public CallContext withCredential(Supplier<String> perRequest) {
    return new CallContext(timeout, notifications, serverRequests, cancellation, Optional.ofNullable(perRequest));
  }
}
