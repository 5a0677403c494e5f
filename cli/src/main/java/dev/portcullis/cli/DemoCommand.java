package dev.portcullis.cli;

import dev.portcullis.server.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the gateway with the quickstart policy and the bundled demo tools, and prints how to connect. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start Portcullis on 127.0.0.1 with examples/quickstart.yaml and the bundled demo tool server.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--data", paramLabel = "DIR", description = "Where the audit log lives (default: data/demo under the install).")
  Path data;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getenv().getOrDefault("PORTCULLIS_HOME", ".")).toAbsolutePath().normalize();
    Path config = home.resolve("examples/quickstart.yaml");
    if (!Files.isRegularFile(config)) {
      System.err.println("portcullis demo: " + config + " not found; run bin/portcullis from a Portcullis checkout");
      return 1;
    }
    Path dataDir = data != null ? data.toAbsolutePath() : home.resolve("data/demo");
    Gateway gateway = GatewayRunner.start(config, new GatewayRunner.Overrides(port, dataDir), System.err);
    if (gateway == null) {
      return 1;
    }
    printWelcome(gateway, home, dataDir);
    GatewayRunner.runUntilStopped(gateway);
    return 0;
  }

  private static void printWelcome(Gateway gateway, Path home, Path dataDir) throws IOException {
    List<String[]> keys = demoKeys(home.resolve("examples/quickstart.keys.txt"));
    StringBuilder out = new StringBuilder();
    out.append("\nPortcullis demo is running.\n\n");
    out.append("  MCP endpoint   ").append(gateway.mcpUrl()).append('\n');
    out.append("  tools          ").append(gateway.catalog().tools().size()).append(" from the demo company 'acme' (stdio upstream)\n");
    out.append("  audit log      ").append(dataDir.resolve("audit.db")).append("\n\n");
    out.append("Demo agents (keys are for this demo only):\n");
    for (String[] key : keys) {
      out.append(String.format("  %-12s %s%n", key[0], key[1]));
    }
    String first = keys.isEmpty() ? "<key>" : keys.get(0)[1];
    out.append("\nClient configuration (MCP over Streamable HTTP with a bearer key):\n");
    out.append("  {\n    \"mcpServers\": {\n      \"portcullis\": {\n        \"type\": \"http\",\n        \"url\": \"")
        .append(gateway.mcpUrl()).append("\",\n        \"headers\": { \"Authorization\": \"Bearer ").append(first)
        .append("\" }\n      }\n    }\n  }\n\n");
    out.append("Audit trail:  bin/portcullis audit verify --db ").append(dataDir.resolve("audit.db")).append('\n');
    out.append("              bin/portcullis audit trace SESSION --db ").append(dataDir.resolve("audit.db")).append('\n');
    out.append("Stop with Ctrl-C.\n");
    System.out.print(out);
    System.out.flush();
  }

  /** Lines of {@code agent key} from the demo key file; comments start with '#'. */
  private static List<String[]> demoKeys(Path file) throws IOException {
    List<String[]> keys = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return keys;
    }
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      if (parts.length >= 2) {
        keys.add(new String[] {parts[0], parts[parts.length - 1]});
      }
    }
    return keys;
  }
}
