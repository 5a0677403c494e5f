package dev.portcullis.cli;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.Redactor;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Loads a policy, opens the audit log and starts a gateway; shared by {@code serve} and {@code demo}. */
final class GatewayRunner {
  private GatewayRunner() {}

  /** What the command line may override in the file's {@code server} section. */
  record Overrides(Integer port, Path dataDir) {}

  /** Loads and starts; on a policy error prints every problem and returns null. */
  static Gateway start(Path config, Overrides overrides, PrintStream err) throws Exception {
    Policy policy;
    try {
      policy = PolicyLoader.load(config);
    } catch (PolicyException e) {
      err.println(e.getMessage());
      return null;
    }
    policy.warnings().forEach(w -> err.println("warning: " + w));
    ServerConfig server = policy.server();
    if (overrides.dataDir() != null) {
      server = server.withDataDir(overrides.dataDir().toAbsolutePath());
    }
    if (overrides.port() != null) {
      server = server.withPort(overrides.port());
    }
    Files.createDirectories(server.dataDir());
    Path auditFile = policy.audit().path(server);
    Files.createDirectories(auditFile.toAbsolutePath().getParent());
    AuditLog audit = AuditLog.start(policy.audit().openSqlite(server), Redactor.secrets());
    try {
      Gateway gateway = Gateway.start(policy, server, audit);
      gateway.watchPolicy(config, java.time.Duration.ofSeconds(2));
      return gateway;
    } catch (Exception e) {
      audit.close();
      throw e;
    }
  }

  /** Blocks until the process is asked to stop, then shuts the gateway down gracefully. */
  static void runUntilStopped(Gateway gateway) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "portcullis-shutdown"));
    stopped.await();
  }
}
