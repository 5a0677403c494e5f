package dev.portcullis.cli;

import dev.portcullis.server.Gateway;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gateway with a policy file. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the gateway: start the policy file's upstreams and serve MCP on the configured address.",
        "Edits of the policy file are picked up within seconds (an invalid edit is reported and ignored)."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Policy file or directory of them.")
  Path config;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on (overrides server.port; 0 picks a free one).")
  Integer port;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory (overrides server.data_dir): audit log, keys.")
  Path data;

  @Override
  public Integer call() throws Exception {
    Gateway gateway = GatewayRunner.start(config, new GatewayRunner.Overrides(port, data), System.err);
    if (gateway == null) {
      return 1;
    }
    System.out.println("Portcullis " + Gateway.VERSION + " serving MCP at " + gateway.mcpUrl());
    System.out.flush();
    GatewayRunner.runUntilStopped(gateway);
    return 0;
  }
}
