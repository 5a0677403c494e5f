package dev.portcullis.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the gateway under load: where the CPU samples of Java code are (by the method on top
 * of the stack, and by the Portcullis method nearest to it), where threads sit in native code, and which allocation
 * sites are sampled most often. JFR sees Java frames only: kernel time (syscalls, thread wake-ups), the JIT and GC
 * threads are not in it; a system profiler ({@code perf}) shows those (see docs/benchmarks.md).
 */
final class Profile {
  private static final int TOP = 15;

  private Profile() {}

  static String summarize(Path jfr, RunResult load) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> nativeSelf = new HashMap<>();
    long nativeSamples = 0;
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> nearest = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocBySite = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = stack.getFrames();
      if (type.equals("jdk.ExecutionSample")) {
        samples++;
        self.merge(name(frames.get(0)), 1L, Long::sum);
        nearest.merge(nearestPortcullis(frames), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (n.startsWith("dev.portcullis.") && seen.add(n)) {
            inclusive.merge(n, 1L, Long::sum);
          }
        }
      } else if (type.equals("jdk.NativeMethodSample")) {
        nativeSamples++;
        String site = frames.stream().map(Profile::name).filter(n -> n.startsWith("dev.portcullis.")).findFirst()
            .orElse("(outside Portcullis)");
        nativeSelf.merge(name(frames.get(0)) + " ← " + site, 1L, Long::sum);
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        // Counted, not weighted: the sample weights of virtual threads are not meaningful (they sum to many times
        // what the JVM allocated), while the sampling itself is still proportional to allocation.
        allocated++;
        allocByClass.merge(e.getClass("objectClass").getName(), 1L, Long::sum);
        allocBySite.merge(nearestPortcullis(frames), 1L, Long::sum);
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "JFR (settings 'profile') of the gateway during %s at %d %s: %.0f calls/s, "
        + "p50 %.0f µs. %d CPU samples of Java code, %d allocation samples.%n%n", load.target(), load.level(),
        load.mode(), load.throughput(), load.p50(), samples, allocated));
    table(md, "Java CPU by the nearest Portcullis frame (self time of the Portcullis method and the library code it"
        + " calls)", nearest, samples, "samples");
    table(md, "Top of stack (self CPU samples)", self, samples, "samples");
    table(md, "Portcullis methods on the stack (inclusive CPU samples)", inclusive, samples, "samples");
    table(md, "Threads in native code (JNI, I/O) ← nearest Portcullis frame", nativeSelf, nativeSamples, "samples");
    table(md, "Allocation samples by class", allocByClass, allocated, "samples");
    table(md, "Allocation samples by the nearest Portcullis frame", allocBySite, allocated, "samples");
    return md.toString();
  }

  private static void table(StringBuilder md, String title, Map<String, Long> counts, long total, String unit) {
    md.append("**").append(title).append("**\n\n| share | ").append(unit).append(" | frame |\n| ---: | ---: | --- |\n");
    Map<String, Long> top = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    top.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %.1f%% | %d | `%s` |%n",
        100.0 * v / Math.max(1, total), v, k)));
    md.append('\n');
  }

  private static String nearestPortcullis(List<RecordedFrame> frames) {
    return frames.stream().map(Profile::name).filter(n -> n.startsWith("dev.portcullis.")).findFirst()
        .orElse("(outside Portcullis) " + name(frames.get(0)));
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
