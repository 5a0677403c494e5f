package dev.portcullis.pipeline;

import java.util.List;

/** The rest of the pipeline after the current step; enforces that each step proceeds at most once. */
final class Chain {
  private final List<Step> steps;
  private final int index;
  private boolean proceeded;

  private Chain(List<Step> steps, int index) {
    this.steps = steps;
    this.index = index;
  }

  static Reply start(List<Step> steps, Exchange exchange) {
    return new Chain(steps, 0).run(exchange);
  }

  /** Runs the next step. */
  Reply proceed(Exchange exchange) {
    if (proceeded) {
      throw new IllegalStateException("step " + steps.get(index - 1).getClass().getSimpleName() + " must call proceed() at most once");
    }
    proceeded = true;
    return run(exchange);
  }

  private Reply run(Exchange exchange) {
    if (index >= steps.size()) {
      throw new IllegalStateException("the last step " + steps.get(steps.size() - 1).getClass().getSimpleName() + " must answer, not proceed");
    }
    return steps.get(index).apply(exchange, new Chain(steps, index + 1));
  }
}
