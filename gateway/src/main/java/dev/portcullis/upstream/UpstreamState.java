package dev.portcullis.upstream;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether an upstream can serve calls right now, and if not, why: {@link Up}, {@link Restarting} (a supervised
 * process exited and is being relaunched; calls fail until it is back) or {@link Down} (not started, or closed).
 */
public sealed interface UpstreamState {

  /** Whether calls to the upstream can be served now. */
  default boolean serving() {
    return this instanceof Up;
  }

  /** Negotiated and answering calls. */
  record Up(UpstreamInfo info) implements UpstreamState {
    public Up {
      Objects.requireNonNull(info, "info");
    }
  }

  /**
   * The channel broke and the upstream is being brought back; calls fail at once until it is.
   *
   * @param reason what broke, as calls in flight were told
   * @param exit how the process last ended, for a stdio upstream whose process exited
   */
  record Restarting(String reason, Optional<ProcessExit> exit) implements UpstreamState {
    public Restarting {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(exit, "exit");
    }
  }

  /** Not started yet, or closed: nothing brings it back. */
  record Down(String reason) implements UpstreamState {
    public Down {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
