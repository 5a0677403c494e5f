package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.StoreFixture.Backend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills a writing process with SIGKILL in the middle of a stream of appends and checks that every entry whose future
 * had completed (the response would have been released) is in the log, and that the chain verifies and continues. The
 * SQLite case runs with {@link AuditStore.Durability#PROCESS_CRASH}, the weaker setting, which this test is the
 * evidence for.
 */
class CrashTest {
  private static final int ANSWERED_BEFORE_KILL = 2_000;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.portcullis.audit.StoreFixture#backends")
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void killedWriterLosesNoEntryWhoseCallWasAnswered(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend)) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
      command.addAll(f.locationArgs());
      if (backend == Backend.SQLITE) {
        command.add(AuditStore.Durability.PROCESS_CRASH.name());
      }
      Path stderr = Files.createTempFile("crash-child", ".err");
      Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();

      Set<Long> answered = new HashSet<>();
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = null;
      while (answered.size() < ANSWERED_BEFORE_KILL && (line = out.readLine()) != null) {
        answered.add(Long.parseLong(line));
      }
      assertThat(line).as("the child stopped on its own; its stderr:%n%s", Files.readString(stderr)).isNotNull();

      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the child's stdout.
      assertThat(child.toHandle().destroyForcibly()).isTrue();
      assertThat(child.waitFor()).as("exit status of a process killed by SIGKILL").isEqualTo(128 + 9);
      // Lines the child printed before it died were answered too; a last line without its newline may be cut short.
      String rest = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String[] lines = rest.split("\n", -1);
      for (int i = 0; i < lines.length - 1; i++) {
        answered.add(Long.parseLong(lines[i]));
      }
      Files.deleteIfExists(stderr);

      long highest = answered.stream().mapToLong(Long::longValue).max().orElseThrow();
      try (AuditStore store = f.open()) {
        Verification v = AuditLog.verify(store);
        assertThat(v.intact()).as(v.message()).isTrue();
        long stored = ((Verification.Intact) v).entries();
        assertThat(stored).isGreaterThanOrEqualTo(highest);
        Set<Long> present = new HashSet<>();
        store.range(1, (int) stored).forEach(r -> present.add(r.seq()));
        assertThat(present).containsAll(answered);

        try (AuditLog log = AuditLog.start(store, Redactor.secrets())) {
          assertThat(log.append(Entries.call("after-crash", 0)).join()).isEqualTo(stored + 1);
        }
        assertThat(AuditLog.verify(store).intact()).isTrue();
      }
    }
  }
}
