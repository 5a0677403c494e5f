package dev.portcullis.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the numbers were measured on: CPU, cores, memory, JDK, and how busy the machine was. */
record Machine(String cpu, int cores, long memoryMb, String jdk, String loadAverage) {
  static Machine now() {
    String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(System.getProperty("os.arch"));
    long memory = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(0L);
    String load = read("/proc/loadavg").strip();
    String[] parts = load.split(" ");
    return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory,
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.version") + " (" +
            System.getProperty("java.vm.name") + ")",
        parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : load);
  }

  String describe() {
    return cpu + ", " + cores + " cores, " + memoryMb + " MB, " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", JDK " + jdk + ", load average " + loadAverage;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
