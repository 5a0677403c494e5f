package dev.portcullis.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem found while loading a configuration, so a user fixes them all in one pass instead of one per
 * start-up. Not thread-safe; one instance per load.
 */
public final class Problems {
  private final List<Problem> all = new ArrayList<>();

  public void error(Mark mark, String message, String hint) {
    all.add(new Problem(Problem.Severity.ERROR, mark, message, hint));
  }

  public void error(Mark mark, String message) {
    error(mark, message, "");
  }

  public void warning(Mark mark, String message, String hint) {
    all.add(new Problem(Problem.Severity.WARNING, mark, message, hint));
  }

  public void add(Problem problem) {
    all.add(problem);
  }

  public int errorCount() {
    return (int) all.stream().filter(Problem::isError).count();
  }

  public boolean hasErrors() {
    return all.stream().anyMatch(Problem::isError);
  }

  /** All problems, ordered by file, line and column (errors before warnings at the same place). */
  public List<Problem> all() {
    return all.stream()
        .sorted(Comparator.comparing((Problem p) -> p.mark().file().toString())
            .thenComparingInt(p -> p.mark().line())
            .thenComparingInt(p -> p.mark().column())
            .thenComparing(Problem::severity))
        .toList();
  }

  public List<Problem> warnings() {
    return all().stream().filter(p -> !p.isError()).toList();
  }
}
