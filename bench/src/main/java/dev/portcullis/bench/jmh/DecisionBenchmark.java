package dev.portcullis.bench.jmh;

import dev.portcullis.bench.policy.Scenario;
import dev.portcullis.model.Decision;
import dev.portcullis.policy.Policy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One policy decision for a tool call, Portcullis ({@link Policy#decide}) against Cedar (cedar-java, cached policy
 * set), on the same generated policy and the same fixed-seed request mix, one thread. Each invocation decides the next
 * request of the mix, so the numbers are a distribution over the whole mix. {@code category} narrows the mix to one
 * kind of request ({@code ALL} by default) to see what each kind costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class DecisionBenchmark {
  /** Requests in the mix; the benchmark cycles through them. */
  public static final int REQUESTS = 4_096;
  /** Seed of the request mix (the policy's seed is in {@link Scenario.Shape#standard()}). */
  public static final long REQUEST_SEED = 7;

  @Param({"ALL"})
  public String category;

  private Scenario scenario;
  private Policy policy;
  private Scenario.Case[] cases;
  private int next;

  @Setup
  public void setUp() {
    scenario = Scenario.generate(Scenario.Shape.standard(), REQUESTS, REQUEST_SEED);
    policy = scenario.policy();
    cases = scenario.cases().stream()
        .filter(c -> category.equals("ALL") || c.category().name().equals(category))
        .toArray(Scenario.Case[]::new);
    if (cases.length == 0) {
      throw new IllegalArgumentException("no request of category " + category + " in the mix; use ALL or one of "
          + java.util.Arrays.toString(Scenario.Category.values()));
    }
  }

  private Scenario.Case nextCase() {
    Scenario.Case c = cases[next];
    next = next + 1 == cases.length ? 0 : next + 1;
    return c;
  }

  @Benchmark
  public Decision portcullis() {
    Scenario.Case c = nextCase();
    return policy.decide(c.call(), c.tool());
  }

  @Benchmark
  public Scenario.Outcome cedar() {
    return scenario.cedar(nextCase());
  }
}
