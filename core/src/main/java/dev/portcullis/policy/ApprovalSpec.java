package dev.portcullis.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@code require_approval} grant wants to be approved; the approval workflow reads it by rule id through
 * {@link Policy#approval(String)}.
 *
 * @param approvers who may approve (names or groups, interpreted by the approval workflow)
 * @param timeout how long a request waits before it is denied
 * @param waitMode {@code sync} holds the call open until decided; {@code async} answers at once and the agent retries
 */
public record ApprovalSpec(List<String> approvers, Duration timeout, String waitMode) {
  public static final ApprovalSpec DEFAULT = new ApprovalSpec(List.of(), Duration.ofMinutes(10), "sync");

  public ApprovalSpec {
    approvers = List.copyOf(approvers);
    Objects.requireNonNull(timeout);
    Objects.requireNonNull(waitMode);
  }
}
