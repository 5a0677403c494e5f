package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.call;
import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.model.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyWatcherTest {
  static final String POLICY = """
      version: 1
      agents:
        a: { roles: [r] }
      roles:
        r: { grants: [ { id: g, tools: [acme.read] } ] }
      """;

  @TempDir
  Path dir;

  @Test
  void validEditIsSwappedInAndInFlightCallsKeepTheirPolicy() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    Policy first = PolicyLoader.load(file);
    List<String> events = new ArrayList<>();
    try (PolicyWatcher watcher = PolicyWatcher.manual(file, first, new PolicyWatcher.Listener() {
      @Override
      public void reloaded(Policy previous, Policy current) {
        events.add(previous.version().substring(0, 8) + "->" + current.version().substring(0, 8));
      }
    })) {
      assertThat(watcher.checkNow()).isFalse();
      Policy inFlight = watcher.current();
      Files.writeString(file, POLICY.replace("acme.read", "acme.write"));
      assertThat(watcher.checkNow()).isTrue();
      assertThat(watcher.reloads()).isEqualTo(1);
      assertThat(events).hasSize(1);
      var agent = watcher.current().agent("a", "k").orElseThrow();
      assertThat(watcher.current().decide(call(agent, "acme.write", "{}"), tool("acme.write")))
          .isInstanceOf(Decision.Allow.class);
      assertThat(inFlight.decide(call(agent, "acme.write", "{}"), tool("acme.write")))
          .isInstanceOf(Decision.Deny.class);
      assertThat(watcher.current().version()).isNotEqualTo(inFlight.version());
    }
  }

  @Test
  void invalidEditKeepsTheLastGoodPolicyAndSaysWhy() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    Policy first = PolicyLoader.load(file);
    List<PolicyException> rejected = new ArrayList<>();
    try (PolicyWatcher watcher = PolicyWatcher.manual(file, first, new PolicyWatcher.Listener() {
      @Override
      public void rejected(PolicyException error) {
        rejected.add(error);
      }
    })) {
      Files.writeString(file, POLICY.replace("roles: [r]", "roles: [rr]"));
      assertThat(watcher.checkNow()).isFalse();
      assertThat(watcher.checkNow()).isFalse();
      assertThat(watcher.current()).isSameAs(first);
      assertThat(watcher.failures()).isEqualTo(1);
      assertThat(rejected).hasSize(1);
      assertThat(watcher.lastError()).get().extracting(Throwable::getMessage).asString()
          .contains("policy.yaml:3:", "role 'rr'");
      Files.writeString(file, POLICY);
      watcher.checkNow();
      assertThat(watcher.lastError()).isEmpty();
      assertThat(watcher.current().version()).isEqualTo(first.version());
    }
  }

  @Test
  void backgroundPollingPicksUpAnEdit() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    CountDownLatch swapped = new CountDownLatch(1);
    try (PolicyWatcher watcher = PolicyWatcher.start(file, PolicyLoader.load(file), Duration.ofMillis(20),
        new PolicyWatcher.Listener() {
          @Override
          public void reloaded(Policy previous, Policy current) {
            swapped.countDown();
          }
        })) {
      Files.writeString(file, POLICY.replace("acme.read", "acme.other"));
      assertThat(swapped.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(watcher.current().agents()).containsKey("a");
    }
  }
}
