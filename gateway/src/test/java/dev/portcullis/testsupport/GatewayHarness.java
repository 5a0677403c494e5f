package dev.portcullis.testsupport;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Redactor;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.server.Gateway;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts a real gateway on port 0 from a policy text, with its own data directory and SQLite audit log. Keys named in
 * the text as {@code ${key:AGENT}} are generated for the test and available through {@link #key(String)}.
 */
public final class GatewayHarness implements AutoCloseable {
  private final Gateway gateway;
  private final Path dir;
  private final Map<String, String> keys;
  private final Map<String, String> yamlKeys;

  private GatewayHarness(Gateway gateway, Path dir, Map<String, String> keys, Map<String, String> yamlKeys) {
    this.gateway = gateway;
    this.dir = dir;
    this.keys = keys;
    this.yamlKeys = yamlKeys;
  }

  public static GatewayHarness start(String policyText) throws Exception {
    return start(policyText, 0);
  }

  /** Starts on {@code port}: for upstreams that must know the gateway's JWKS URL before it starts. */
  public static GatewayHarness start(String policyText, int port) throws Exception {
    Path dir = Files.createTempDirectory("portcullis-test");
    Map<String, String> keys = new LinkedHashMap<>();
    Map<String, String> yamlKeys = new LinkedHashMap<>();
    String text = policyText;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{key:([a-z0-9-]+)}").matcher(policyText);
    while (m.find()) {
      String agent = m.group(1);
      ApiKeys.NewKey key = ApiKeys.create(agent);
      keys.put(agent, key.plaintext());
      yamlKeys.put(agent, key.yamlEntry());
      text = text.replace(m.group(), key.yamlEntry());
    }
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, text.replace("${dir}", dir.toString()));
    Policy policy = PolicyLoader.load(file);
    AuditLog audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db")), Redactor.secrets());
    Gateway gateway;
    try {
      gateway = Gateway.start(policy, policy.server().withPort(port).withDataDir(dir), audit);
    } catch (Exception e) {
      audit.close();
      throw e;
    }
    return new GatewayHarness(gateway, dir, keys, yamlKeys);
  }

  public Gateway gateway() {
    return gateway;
  }

  public URI mcpUrl() {
    return gateway.mcpUrl();
  }

  public String key(String agent) {
    String key = keys.get(agent);
    if (key == null) {
      throw new IllegalArgumentException("no ${key:" + agent + "} in the policy text; keys: " + keys.keySet());
    }
    return key;
  }

  /** A free loopback port to start on (picked now; another process could take it, which tests tolerate). */
  public static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Loads another version of the policy text (keys as at start) and swaps it into the running gateway. */
  public void reload(String policyText) throws Exception {
    String text = policyText;
    for (Map.Entry<String, String> key : yamlKeys.entrySet()) {
      text = text.replace("${key:" + key.getKey() + "}", key.getValue());
    }
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, text.replace("${dir}", dir.toString()));
    gateway.swapPolicy(PolicyLoader.load(file));
  }

  public Path auditFile() {
    return dir.resolve("audit.db");
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    gateway.close();
  }
}
