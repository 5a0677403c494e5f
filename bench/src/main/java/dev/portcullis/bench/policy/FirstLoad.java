package dev.portcullis.bench.policy;

import com.sun.management.OperatingSystemMXBean;
import dev.portcullis.policy.PolicyLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One first load in this (fresh) JVM, for {@code bench/first-load.sh}: {@code write DIR} writes the policies of
 * {@link ConditionHeavyPolicy} as files; {@code load FILE} loads one from disk as {@code portcullis policy check} and
 * {@code serve} do, then prints the time the load took, the process's CPU time so far (start-up, the load, the JIT
 * threads) and the JVM's age when the load began.
 */
public final class FirstLoad {
  private FirstLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("write")) {
      Path dir = Files.createDirectories(Path.of(args[1]));
      for (ConditionHeavyPolicy.Conditions c : ConditionHeavyPolicy.Conditions.values()) {
        for (int grants : new int[] {2_000, 5_000}) {
          Files.writeString(dir.resolve(c + "-" + grants + ".yaml"), ConditionHeavyPolicy.yaml(grants, c, 1));
        }
      }
      return;
    }
    if (args.length != 2 || !args[0].equals("load")) {
      System.err.println("usage: FirstLoad write DIR | FirstLoad load FILE");
      System.exit(2);
    }
    long age = ManagementFactory.getRuntimeMXBean().getUptime();
    long start = System.nanoTime();
    PolicyLoader.load(Path.of(args[1]));
    long loadMs = (System.nanoTime() - start) / 1_000_000;
    long cpuMs = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    System.out.println("load_ms=" + loadMs + " cpu_ms=" + cpuMs + " jvm_age_ms=" + age);
  }
}
