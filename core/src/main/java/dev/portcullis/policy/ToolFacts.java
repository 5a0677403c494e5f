package dev.portcullis.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the policy's {@code tools} section says about one tool ({@code <upstream>.<tool>}).
 *
 * @param name the tool name
 * @param labels labels the session collects when the tool is called (flow rules refer to them)
 * @param description a description shown to agents instead of the upstream's own, if set
 * @param costUsd the cost of one call, counted against budgets
 * @param allowUndeclaredArguments when true, arguments the tool's schema does not declare are passed to the schema
 *     unchanged instead of being refused
 */
public record ToolFacts(String name, Set<String> labels, Optional<String> description, Optional<Double> costUsd,
    boolean allowUndeclaredArguments) {
  public ToolFacts {
    Objects.requireNonNull(name);
    labels = Set.copyOf(labels);
    Objects.requireNonNull(description);
    Objects.requireNonNull(costUsd);
  }

  /** Facts for a tool the policy says nothing about. */
  public static ToolFacts none(String name) {
    return new ToolFacts(name, Set.of(), Optional.empty(), Optional.empty(), false);
  }
}
