package dev.portcullis.cli;

import dev.portcullis.testing.demo.DemoToolServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** Runs a bundled MCP tool server (the demo company's tools), over stdio by default. */
@Command(name = "tool-server", mixinStandardHelpOptions = true,
    description = "Run a bundled MCP tool server: 'demo' is the demo company's tools (stdio by default, --http PORT for HTTP).")
final class ToolServerCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "Which server: demo")
  String name;

  @Unmatched
  List<String> rest = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!"demo".equals(name)) {
      System.err.println("portcullis tool-server: unknown server '" + name + "'; the bundled one is 'demo'");
      return 2;
    }
    DemoToolServer.main(rest.toArray(String[]::new));
    return 0;
  }
}
