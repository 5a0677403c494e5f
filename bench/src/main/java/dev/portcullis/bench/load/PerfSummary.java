package dev.portcullis.bench.load;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The samples of a {@code perf script -F comm,tid,ip,sym,dso} listing of one JVM recorded with call chains
 * ({@code perf record -g}), summarised: where the CPU went by the sampled instruction (kernel, JIT-compiled Java, the
 * interpreter, the JVM itself, libc, SQLite, other native code), which threads used it (application threads, GC, JIT
 * compilers, other JVM threads), what the kernel time was spent on (the system call, page fault or interrupt in its
 * call chain: a timer sample in the kernel often lands where interrupts are re-enabled, so the sampled kernel symbol
 * alone says little), and the top symbols overall.
 *
 * @param samples every sample read
 * @param byPlace samples per {@link Place}
 * @param byThreads samples per thread group
 * @param bySymbol samples per "symbol (library)"
 * @param kernelWork kernel samples per system call (or page fault, interrupt)
 */
record PerfSummary(long samples, Map<Place, Long> byPlace, Map<String, Long> byThreads, Map<String, Long> bySymbol,
    Map<String, Long> kernelWork) {
  private static final Pattern HEADER = Pattern.compile("^(\\S.*?)\\s+(\\d+)\\s*$");
  private static final Pattern FRAME = Pattern.compile("^\\s+([0-9a-f]+)\\s+(.*?)\\s+\\((.*)\\)\\s*$");
  private static final Pattern SYSCALL = Pattern.compile("^(?:__x64_sys_|__se_sys_|__do_sys_|ksys_)(\\w+)$");
  private static final int TOP = 20;

  /** Where a sample's instruction was. */
  enum Place {
    KERNEL("kernel"),
    JIT("JIT-compiled Java (and JIT stubs)"),
    INTERPRETER("Java interpreter"),
    JVM("JVM (libjvm.so: GC, JIT compilers, runtime)"),
    LIBC("libc"),
    SQLITE("SQLite (native)"),
    OTHER_NATIVE("other native libraries (JDK natives, vDSO, ...)"),
    UNKNOWN("unknown (no symbol and no mapping; JIT code freed before the map was written)");

    final String label;

    Place(String label) {
      this.label = label;
    }

    static Place of(String symbol, String dso) {
      if (dso.startsWith("[kernel") || dso.equals("[guest.kernel.kallsyms]")) {
        return KERNEL;
      }
      if (dso.matches(".*/perf-\\d+\\.map") || dso.startsWith("[JIT]") || dso.startsWith("//anon")
          || dso.startsWith("memfd:")) {
        return symbol.equals("Interpreter") ? INTERPRETER : JIT;
      }
      if (dso.endsWith("/libjvm.so")) {
        return JVM;
      }
      if (dso.matches(".*/(libc|libpthread|ld-linux[^/]*)\\.so.*")) {
        return LIBC;
      }
      if (dso.toLowerCase(Locale.ROOT).contains("sqlite")) {
        return SQLITE;
      }
      if (dso.equals("[unknown]")) {
        return UNKNOWN;
      }
      return OTHER_NATIVE;
    }
  }

  /** Reads a listing (lines it cannot parse, such as perf's warnings, are skipped). */
  static PerfSummary of(Stream<String> lines) {
    Builder builder = new Builder();
    lines.forEach(builder::line);
    return builder.build();
  }

  /** Accumulates samples: a header line ({@code comm tid}) and then its frames, innermost first. */
  private static final class Builder {
    private long total;
    private final Map<Place, Long> places = new LinkedHashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Long> symbols = new HashMap<>();
    private final Map<String, Long> kernel = new HashMap<>();
    private String comm;
    private String symbol;
    private String dso;
    private String kernelWork;

    void line(String line) {
      Matcher header = HEADER.matcher(line);
      if (header.matches()) {
        finish();
        comm = header.group(1);
        return;
      }
      Matcher frame = FRAME.matcher(line);
      if (comm == null || !frame.matches()) {
        return;
      }
      String name = frame.group(2).isBlank() ? "[unknown]" : frame.group(2);
      if (symbol == null) {
        symbol = name;
        dso = frame.group(3);
      }
      if (kernelWork == null && frame.group(3).startsWith("[kernel")) {
        kernelWork = kernelWork(name);
      }
    }

    private void finish() {
      if (comm == null) {
        return;
      }
      String sym = symbol == null ? "[unknown]" : symbol;
      String lib = dso == null ? "[unknown]" : dso;
      Place place = Place.of(sym, lib);
      total++;
      places.merge(place, 1L, Long::sum);
      threads.merge(threadGroup(comm), 1L, Long::sum);
      symbols.merge(sym + "  (" + shortDso(lib) + ")", 1L, Long::sum);
      if (place == Place.KERNEL) {
        kernel.merge(kernelWork == null ? "other kernel work (scheduler, softirq, ...)" : kernelWork, 1L, Long::sum);
      }
      comm = null;
      symbol = null;
      dso = null;
      kernelWork = null;
    }

    PerfSummary build() {
      finish();
      return new PerfSummary(total, places, threads, symbols, kernel);
    }
  }

  /** What a kernel frame says the kernel was doing, or null when this frame does not tell. */
  private static String kernelWork(String frame) {
    Matcher m = SYSCALL.matcher(frame);
    if (m.matches()) {
      return "system call " + m.group(1);
    }
    if (frame.equals("asm_exc_page_fault") || frame.equals("exc_page_fault")) {
      return "page fault";
    }
    if (frame.startsWith("asm_sysvec_") || frame.startsWith("asm_common_interrupt")) {
      return "interrupt (" + frame.substring(4) + ")";
    }
    return null;
  }

  /** The thread group of a thread name as the kernel keeps it (15 characters). */
  static String threadGroup(String comm) {
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "JIT compiler threads";
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
      return "GC threads";
    }
    if (comm.startsWith("VM ") || comm.startsWith("Service Thread") || comm.startsWith("Monitor Deflati")
        || comm.startsWith("Common-Cleaner") || comm.startsWith("Notification Th") || comm.startsWith("Signal Dispat")
        || comm.startsWith("Finalizer") || comm.startsWith("Reference Handl") || comm.startsWith("Attach Listene")) {
      return "other JVM threads";
    }
    return "application threads (Jetty, virtual-thread carriers, audit, ...)";
  }

  long share(Place place) {
    return byPlace.getOrDefault(place, 0L);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, Long> places = new LinkedHashMap<>();
    for (Place p : Place.values()) {
      if (share(p) > 0) {
        places.put(p.label, share(p));
      }
    }
    table(md, "Where the gateway's CPU went", places, "place");
    table(md, "By thread", byThreads, "threads");
    table(md, "Top symbols (self samples)", bySymbol, "symbol (library)");
    table(md, "Kernel time by what it was for (the system call, page fault or interrupt in the call chain)",
        kernelWork, "kernel work");
    return md.toString();
  }

  private void table(StringBuilder md, String title, Map<String, Long> counts, String what) {
    md.append("**").append(title).append("**\n\n| share | samples | ").append(what).append(" |\n| ---: | ---: | --- |\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
        .forEach(e -> md.append(String.format(Locale.ROOT, "| %.1f%% | %d | `%s` |%n", 100.0 * e.getValue()
            / Math.max(1, samples), e.getValue(), e.getKey().replace("`", "'").replace("|", "\\|"))));
    md.append('\n');
  }

  private static String shortDso(String dso) {
    if (dso.matches(".*/perf-\\d+\\.map")) {
      return "JIT";
    }
    int slash = dso.lastIndexOf('/');
    return slash >= 0 ? dso.substring(slash + 1) : dso;
  }
}
