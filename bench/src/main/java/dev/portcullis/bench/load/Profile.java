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
 * Summarises a JFR recording of the gateway under load: where the CPU samples are (by the method on top of the stack,
 * and by Portcullis method anywhere in the stack), and what is allocated, by class and by the Portcullis method
 * closest to the allocation.
 */
final class Profile {
  private static final int TOP = 15;

  private Profile() {}

  static String summarize(Path jfr, RunResult load) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> nativeSelf = new HashMap<>();
    long nativeSamples = 0;
    Map<String, Long> inclusive = new HashMap<>();
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
        long weight = e.getLong("weight");
        allocated += weight;
        allocByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
        String site = frames.stream().map(Profile::name).filter(n -> n.startsWith("dev.portcullis.")).findFirst()
            .orElse("(outside Portcullis) " + name(frames.get(0)));
        allocBySite.merge(site, weight, Long::sum);
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "JFR (settings 'profile') of the gateway during %s at %d %s: %.0f calls/s, "
        + "p50 %.0f µs. %d CPU samples, %.0f MB allocation sampled.%n%n", load.target(), load.level(), load.mode(),
        load.throughput(), load.p50(), samples, allocated / 1_048_576.0));
    table(md, "Top of stack (self CPU samples)", self, samples, "samples");
    table(md, "Portcullis methods on the stack (inclusive CPU samples)", inclusive, samples, "samples");
    table(md, "Threads in native code (JNI, I/O) ← nearest Portcullis frame", nativeSelf, nativeSamples, "samples");
    table(md, "Allocation by class", allocByClass, allocated, "bytes");
    table(md, "Allocation by the nearest Portcullis frame", allocBySite, allocated, "bytes");
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

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
