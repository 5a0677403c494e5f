package dev.portcullis.interop;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import java.nio.file.Path;

/**
 * A gateway in its own JVM, for tests that kill it: {@code GatewayProcessMain POLICY_FILE DATA_DIR} starts the policy's
 * upstreams, writes the audit log to {@code DATA_DIR/audit.db}, listens on a free loopback port, prints
 * {@code LISTENING <mcp-url>} on stdout and runs until it is killed.
 */
public final class GatewayProcessMain {
  /** The line that announces the MCP URL. */
  static final String LISTENING = "LISTENING ";

  private GatewayProcessMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: GatewayProcessMain POLICY_FILE DATA_DIR");
      System.exit(2);
    }
    Policy policy = PolicyLoader.load(Path.of(args[0]));
    Path data = Path.of(args[1]);
    AuditLog audit = AuditLog.start(AuditStore.sqlite(data.resolve("audit.db")), Redactor.secrets());
    Gateway gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(data), audit);
    System.out.println(LISTENING + gateway.mcpUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
