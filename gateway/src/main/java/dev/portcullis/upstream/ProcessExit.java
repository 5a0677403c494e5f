package dev.portcullis.upstream;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a stdio upstream's process last ended.
 *
 * @param exitCode the exit status; empty when the process had not yet ended when its output closed
 * @param stderrTail its last non-blank stderr lines, oldest first, joined with {@code " | "}; empty when it wrote none
 * @param at when the exit was seen
 */
public record ProcessExit(OptionalInt exitCode, String stderrTail, Instant at) {
  public ProcessExit {
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(stderrTail, "stderrTail");
    Objects.requireNonNull(at, "at");
  }
}
