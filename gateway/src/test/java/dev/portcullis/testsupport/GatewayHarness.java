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

  private GatewayHarness(Gateway gateway, Path dir, Map<String, String> keys) {
    this.gateway = gateway;
    this.dir = dir;
    this.keys = keys;
  }

  public static GatewayHarness start(String policyText) throws Exception {
    Path dir = Files.createTempDirectory("portcullis-test");
    Map<String, String> keys = new LinkedHashMap<>();
    String text = policyText;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{key:([a-z0-9-]+)}").matcher(policyText);
    while (m.find()) {
      String agent = m.group(1);
      ApiKeys.NewKey key = ApiKeys.create(agent);
      keys.put(agent, key.plaintext());
      text = text.replace(m.group(), key.yamlEntry());
    }
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, text.replace("${dir}", dir.toString()));
    Policy policy = PolicyLoader.load(file);
    AuditLog audit = AuditLog.start(AuditStore.sqlite(dir.resolve("audit.db")), Redactor.secrets());
    Gateway gateway = Gateway.start(policy, policy.server().withPort(0).withDataDir(dir), audit);
    return new GatewayHarness(gateway, dir, keys);
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
