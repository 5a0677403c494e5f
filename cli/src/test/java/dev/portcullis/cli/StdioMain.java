package dev.portcullis.cli;

import picocli.CommandLine;

/** Launches {@code portcullis stdio} on its own, for tests that start it as a process the way a desktop client does. */
public final class StdioMain {
  private StdioMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new StdioCommand()).execute(args));
  }
}
