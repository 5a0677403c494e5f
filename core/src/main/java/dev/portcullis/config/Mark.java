package dev.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A position in a configuration file, 1-based, printed as {@code file:line:column} so editors and terminals can jump
 * to it.
 */
public record Mark(Path file, int line, int column) {
  /** A mark for values that do not come from a file (defaults, programmatic input). */
  public static final Mark NONE = new Mark(Path.of("<none>"), 0, 0);

  public Mark {
    Objects.requireNonNull(file, "file");
  }

  @Override
  public String toString() {
    return line == 0 ? file.toString() : file + ":" + line + ":" + column;
  }
}
