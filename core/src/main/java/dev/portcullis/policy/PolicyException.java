package dev.portcullis.policy;

import dev.portcullis.config.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be loaded. Carries every problem found (errors and warnings), each with
 * file:line:column and a hint; the message prints them all.
 */
public final class PolicyException extends RuntimeException {
  private final List<Problem> problems;

  public PolicyException(List<Problem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  private static String render(List<Problem> problems) {
    long errors = problems.stream().filter(Problem::isError).count();
    return "policy has " + errors + (errors == 1 ? " error" : " errors") + ":\n"
        + problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
