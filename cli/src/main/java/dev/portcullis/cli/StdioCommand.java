package dev.portcullis.cli;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.Redactor;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.front.StdioFront;
import dev.portcullis.model.Agent;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Portcullis as a stdio MCP server for one agent, for desktop clients that only launch local servers: the client
 * starts {@code portcullis stdio --agent ID}, speaks MCP on stdin/stdout, and gets the same policy, argument checks and
 * audit log as over HTTP. The policy's upstreams are started as for {@code serve}.
 */
@Command(name = "stdio", mixinStandardHelpOptions = true,
    description = {
        "Serve MCP over stdin/stdout as one agent (for desktop clients that launch local servers).",
        "Starts the policy file's upstreams and enforces the agent's grants; logs go to stderr, the audit log to the "
            + "policy's data directory. The gateway's HTTP endpoint also listens, on a free loopback port, for the "
            + "lifetime of the process."
    })
final class StdioCommand implements Callable<Integer> {
  @Option(names = "--agent", required = true, paramLabel = "ID", description = "The agent this process acts as (an id under 'agents:').")
  String agent;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Policy file or directory (default: $PORTCULLIS_CONFIG, else ./portcullis.yaml).")
  Path config;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (overrides server.data_dir): give each stdio process its own when a gateway already "
          + "writes the policy's audit log.")
  Path data;

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    Path file = config != null ? config : Path.of(System.getenv().getOrDefault("PORTCULLIS_CONFIG", "portcullis.yaml"));
    Policy policy;
    try {
      policy = PolicyLoader.load(file);
    } catch (PolicyException e) {
      err.println(e.getMessage());
      return 1;
    }
    policy.warnings().forEach(w -> err.println("warning: " + w));
    if (!policy.agents().containsKey(agent)) {
      err.println("portcullis stdio: no agent '" + agent + "' in " + file + "; agents there: "
          + String.join(", ", policy.agents().keySet()));
      return 2;
    }
    Agent self = policy.agent(agent, "stdio-" + UUID.randomUUID()).orElseThrow();
    // stdout carries the protocol: anything else printed there (a library's banner, a stray println) would corrupt it.
    OutputStream protocol = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(err);
    ServerConfig declared = policy.server();
    ServerConfig server = new ServerConfig(ServerConfig.DEFAULT_BIND, 0, declared.publicUrl(), declared.allowedOrigins(),
        data != null ? data.toAbsolutePath() : declared.dataDir(), declared.limits());
    Path auditFile = policy.audit().path(server);
    Files.createDirectories(auditFile.toAbsolutePath().getParent());
    AuditLog audit = AuditLog.start(policy.audit().openSqlite(server), Redactor.secrets());
    Gateway gateway;
    try {
      gateway = Gateway.start(policy, server, audit);
    } catch (Exception e) {
      audit.close();
      err.println("portcullis stdio: could not start: " + e.getMessage());
      return 1;
    }
    try {
      err.println("Portcullis " + Gateway.VERSION + " serving MCP on stdio as agent '" + agent + "' (audit log "
          + auditFile + ")");
      new StdioFront(gateway.pipeline(), self, server.limits().maxBodyBytes(), protocol).serve(System.in);
    } finally {
      gateway.close();
    }
    return 0;
  }
}
