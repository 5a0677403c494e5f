package dev.portcullis.bench.jmh;

import dev.portcullis.bench.policy.ConditionHeavyPolicy;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a policy of thousands of grants, each with a distinct condition, from YAML text to a {@link Policy} ready to
 * decide (parsing, validation, condition compilation, the role graph). Every load gets conditions never seen before,
 * so it is a cold load as after an edit: no cached compilation helps. {@code conditions} picks shapes compiled to
 * Java ({@code COMMON}, {@code ARITHMETIC}), shapes only CEL handles ({@code CEL_ONLY}, type-checked in parallel on
 * all cores), or a realistic mix of the three ({@code MIXED}).
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main PolicyLoadBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PolicyLoadBenchmark {
  @Param({"2000", "5000"})
  public int grants;

  @Param({"COMMON", "ARITHMETIC", "CEL_ONLY", "MIXED"})
  public ConditionHeavyPolicy.Conditions conditions;

  private long salt;
  private String yaml;

  @Setup(Level.Invocation)
  public void nextPolicy() {
    yaml = ConditionHeavyPolicy.yaml(grants, conditions, ++salt);
  }

  @Benchmark
  public Policy load() {
    return PolicyLoader.fromText("load-" + salt + ".yaml", yaml);
  }
}
