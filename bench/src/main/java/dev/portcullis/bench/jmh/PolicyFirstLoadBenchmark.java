package dev.portcullis.bench.jmh;

import dev.portcullis.bench.policy.ConditionHeavyPolicy;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
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
 * The first load of a policy of thousands of grants in a fresh JVM: what {@code portcullis serve} and
 * {@code policy check} pay, with the JIT cold and CEL not yet initialized. One load per fork, no warm-up, many forks;
 * read the median over forks ({@code -f} and {@code -p} narrow a run). The warm counterpart is
 * {@link PolicyLoadBenchmark}.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main PolicyFirstLoadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 7, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PolicyFirstLoadBenchmark {
  @Param({"2000", "5000"})
  public int grants;

  @Param({"COMMON", "ARITHMETIC", "CEL_ONLY", "MIXED"})
  public ConditionHeavyPolicy.Conditions conditions;

  private String yaml;

  @Setup
  public void policy() {
    yaml = ConditionHeavyPolicy.yaml(grants, conditions, 1);
  }

  @Benchmark
  public Policy firstLoad() {
    return PolicyLoader.fromText("first.yaml", yaml);
  }

  /** The same with C1 alone, as {@code bin/portcullis policy ...} runs (a one-shot command never repays C2). */
  @Benchmark
  @Fork(value = 7, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:TieredStopAtLevel=1"})
  public Policy firstLoadC1() {
    return PolicyLoader.fromText("first.yaml", yaml);
  }
}
