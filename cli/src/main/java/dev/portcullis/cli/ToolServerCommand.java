package dev.portcullis.cli;

import dev.portcullis.testing.demo.DemoToolServer;
import dev.portcullis.testing.example.EchoToolServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** Runs a bundled MCP tool server (the demo company's tools, or the verifier example), over stdio by default. */
@Command(name = "tool-server", mixinStandardHelpOptions = true,
    description = {"Run a bundled MCP tool server (stdio by default, --http PORT for HTTP):",
        "  demo  the demo company's tools; --verify-tokens JWKS_URL --issuer ISS --audience NAME checks per-call tokens",
        "  echo  the verifier example: one tool that runs only with a valid per-call token",
        "        (--jwks URL --issuer ISS --audience NAME required)"})
final class ToolServerCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "Which server: demo or echo")
  String name;

  @Unmatched
  List<String> rest = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    switch (name) {
      case "demo" -> DemoToolServer.main(rest.toArray(String[]::new));
      case "echo" -> EchoToolServer.main(rest.toArray(String[]::new));
      default -> {
        System.err.println("portcullis tool-server: unknown server '" + name + "'; the bundled ones are 'demo' and"
            + " 'echo'");
        return 2;
      }
    }
    return 0;
  }
}
