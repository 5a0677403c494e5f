package dev.portcullis.bench.load;

import dev.portcullis.testing.conformance.ConformanceServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The stdio MCP server every stdio target fronts: the conformance fixture ({@code ConformanceServer --stdio}, both
 * wires), launched by whoever fronts it (Portcullis, mcp-proxy, supergateway) with the same command line. A small
 * heap, the serial collector and C1 only, so that the sixteen copies supergateway starts (one per session) fit on the
 * machine and warm up as fast as the single copy the others share.
 */
final class StdioUpstream {
  static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");

  private StdioUpstream() {}

  /** The command line: this JVM's java and classpath running the fixture over stdio. */
  static List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ConformanceServer.class.getName());
    command.addAll(List.of("--stdio", "--wire", "both"));
    return List.copyOf(command);
  }

  /** The same command as one {@code sh -c} string (supergateway takes its server that way). */
  static String shellCommand() {
    return command().stream().map(StdioUpstream::shellQuote).collect(Collectors.joining(" "));
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }

  /** A YAML flow sequence of the command (for a Portcullis policy's {@code command:}). */
  static String yamlCommand() {
    return command().stream().map(w -> '"' + w.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
