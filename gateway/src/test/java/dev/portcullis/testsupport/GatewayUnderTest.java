package dev.portcullis.testsupport;

import dev.portcullis.server.Gateway;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway for a test, with a sandbox folder of its own that the policy's upstreams work in: the policy text is
 * made from the sandbox's path once the sandbox holds its seeded files. Registered with {@code @RegisterExtension} on
 * a static field it starts before the class's first test and closes after its last; {@link #start()} with
 * try-with-resources gives one test its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayUnderTest gateway = GatewayUnderTest.withPolicy(sandbox -> POLICY.formatted(Peers.acme(sandbox)))
 *     .file("readme.txt", "read me");
 * }</pre>
 */
public final class GatewayUnderTest implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final Function<Path, String> policy;
  private final Map<String, String> files = new LinkedHashMap<>();
  private Path sandbox;
  private GatewayHarness harness;
  private boolean closed;

  private GatewayUnderTest(Function<Path, String> policy) {
    this.policy = policy;
  }

  /** A gateway whose policy text {@code policy} makes from the sandbox folder (keys as {@code ${key:AGENT}}). */
  public static GatewayUnderTest withPolicy(Function<Path, String> policy) {
    return new GatewayUnderTest(policy);
  }

  /** Seeds the sandbox with a file at {@code path} (relative, folders created) before the gateway starts. */
  public GatewayUnderTest file(String path, String content) {
    files.put(path, content);
    return this;
  }

  /** Creates and seeds the sandbox, then starts the gateway on port 0. */
  public GatewayUnderTest start() throws Exception {
    if (harness != null) {
      throw new IllegalStateException("this gateway is already started; register it or start it, not both");
    }
    sandbox = Files.createTempDirectory("portcullis-sandbox");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = sandbox.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
    harness = GatewayHarness.start(policy.apply(sandbox));
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  public Path sandbox() {
    return started().sandbox;
  }

  public URI mcpUrl() {
    return started().harness.mcpUrl();
  }

  /** The plaintext API key made for {@code ${key:AGENT}} in the policy text. */
  public String key(String agent) {
    return started().harness.key(agent);
  }

  public Gateway gateway() {
    return started().harness.gateway();
  }

  public Path auditFile() {
    return started().harness.auditFile();
  }

  /** Stops the gateway (again is fine): a test that reads what it left behind may stop it early. */
  @Override
  public void close() {
    if (harness != null && !closed) {
      closed = true;
      harness.close();
    }
  }

  private GatewayUnderTest started() {
    if (harness == null) {
      throw new IllegalStateException("the gateway is not started: register it with @RegisterExtension or call"
          + " start()");
    }
    return this;
  }
}
