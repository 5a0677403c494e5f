package dev.portcullis.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing wrong (or suspicious) in a configuration: where, what, and how to fix it.
 *
 * @param severity errors stop loading; warnings are printed by {@code policy check} and on reload
 * @param mark where in which file
 * @param message what is wrong, naming the offending value
 * @param hint how to fix it (may be empty), for example a "did you mean" suggestion
 */
public record Problem(Severity severity, Mark mark, String message, String hint) {
  /** How bad a problem is. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public Problem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(mark, "mark");
    Objects.requireNonNull(message, "message");
    hint = hint == null ? "" : hint;
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    String text = mark + ": " + severity.name().toLowerCase(Locale.ROOT) + ": " + message;
    return hint.isEmpty() ? text : text + "\n    hint: " + hint;
  }
}
