package dev.portcullis.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The policy's answer for one call. A value, never an exception: every outcome names the rule that decided and why.
 */
public sealed interface Decision {
  /** Id of the grant or rule that decided; {@code default-deny} when nothing matched. */
  String ruleId();

  /** Human-readable reason, written for the agent that will read it. */
  String reason();

  /** The call may proceed; results pass through the grant's filter, if any. */
  record Allow(String ruleId, String reason, Optional<ResultFilter> filter) implements Decision {
    public Allow {
      Objects.requireNonNull(ruleId);
      Objects.requireNonNull(reason);
      Objects.requireNonNull(filter);
    }
  }

  /** The call is refused. {@code hint} tells the agent what it may do instead (may be empty). */
  record Deny(String ruleId, String reason, String hint) implements Decision {
    public Deny {
      Objects.requireNonNull(ruleId);
      Objects.requireNonNull(reason);
      hint = hint == null ? "" : hint;
    }
  }

  /** The call needs a human's approval before it proceeds. */
  record NeedsApproval(String ruleId, String reason) implements Decision {
    public NeedsApproval {
      Objects.requireNonNull(ruleId);
      Objects.requireNonNull(reason);
    }
  }

  /** The call is answered as if made, without reaching the tool. */
  record DryRun(String ruleId, String reason) implements Decision {
    public DryRun {
      Objects.requireNonNull(ruleId);
      Objects.requireNonNull(reason);
    }
  }
}
