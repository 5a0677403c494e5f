package dev.portcullis.bench.load;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import dev.portcullis.testing.conformance.ConformanceServer;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Wire;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * A server for the load harness in its own JVM. {@code gateway POLICY DATA_DIR [DURABILITY]} runs Portcullis with the
 * SQLite audit log on (with the policy file's audit durability unless one is given, as {@code portcullis serve} does); {@code fixture}
 * runs the MCP conformance fixture on both wires (the upstream, and the "direct" baseline); {@code relay UPSTREAM_URL}
 * runs a bare {@link Relay} to it. Prints
 * {@code LISTENING <url>}, then answers commands on stdin: {@code heap} (used heap after a full GC, in bytes),
 * {@code sessions} (live Portcullis sessions), {@code stats} (bytes allocated since start, GC milliseconds and
 * collections), {@code profile-start}, {@code profile-stop FILE} (a JFR recording with the {@code profile} settings)
 * and {@code quit}.
 */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.setOut(System.err);
    AutoCloseable server;
    Gateway gateway = null;
    long start = System.nanoTime();
    switch (args.length > 0 ? args[0] : "") {
      case "gateway" -> {
        Path dir = Path.of(args[2]);
        Policy policy = PolicyLoader.load(Path.of(args[1]));
        AuditStore.Durability durability = args.length > 3 ? AuditStore.Durability.valueOf(args[3])
            : policy.audit().durability();
        AuditLog audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db"), durability), Redactor.secrets());
        gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(dir), audit);
        server = gateway;
        out.println("STARTED_MS " + (System.nanoTime() - start) / 1_000_000);
        out.println("LISTENING " + gateway.mcpUrl());
      }
      case "fixture" -> {
        McpFixture.Running running = ConformanceServer.fixture().startHttp(0, EnumSet.allOf(Wire.class));
        server = running;
        out.println("LISTENING " + running.url());
      }
      case "relay" -> {
        Relay relay = Relay.start(java.net.URI.create(args[1]));
        server = relay;
        out.println("LISTENING " + relay.url());
      }
      case "socket-relay" -> {
        SocketRelay relay = SocketRelay.start(java.net.URI.create(args[1]));
        server = relay;
        out.println("LISTENING " + relay.url());
      }
      default -> throw new IllegalArgumentException("usage: GatewayMain gateway POLICY DATA_DIR"
          + " [PROCESS_CRASH|POWER_LOSS] | fixture | relay UPSTREAM_URL");
    }
    jdk.jfr.Recording recording = null;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] command = line.strip().split(" ", 2);
      switch (command[0]) {
        case "heap" -> {
          for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
          }
          out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        case "stats" -> {
          long gcMillis = 0;
          long gcCount = 0;
          for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
          }
          long allocated = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
              .getTotalThreadAllocatedBytes();
          out.println("STATS " + allocated + " " + gcMillis + " " + gcCount);
        }
        case "sessions" -> out.println("SESSIONS " + (gateway == null ? 0 : gateway.sessions().size()));
        case "profile-start" -> {
          recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
          recording.start();
          out.println("PROFILING");
        }
        case "profile-stop" -> {
          if (recording != null) {
            recording.dump(Path.of(command[1]));
            recording.close();
            recording = null;
          }
          out.println("PROFILE " + command[1]);
        }
        case "quit" -> {
          server.close();
          out.println("BYE");
          System.exit(0);
        }
        default -> out.println("UNKNOWN " + line);
      }
    }
    server.close();
  }
}
