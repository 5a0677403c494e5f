package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.portcullis.testing.MutableClock;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dataDir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));
  final Duration overlap = Duration.ofMinutes(20);

  Path keyDir() {
    return dataDir.resolve("signing-keys");
  }

  @Test
  void createsOneKeyOwnerOnlyAndFindsItAgainAfterRestart() throws Exception {
    SigningKeys first = SigningKeys.open(keyDir(), overlap, clock);
    SigningKeys second = SigningKeys.open(keyDir(), overlap, clock);

    assertThat(second.currentKeyId()).isEqualTo(first.currentKeyId());
    List<Path> files = Files.list(keyDir()).toList();
    assertThat(files).hasSize(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.getFirst()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir()))).isEqualTo("rwx------");
  }

  @Test
  void publishesOnlyPublicKeyParts() throws Exception {
    SigningKeys keys = SigningKeys.inMemory(overlap, clock);
    JWKSet published = JWKSet.parse(keys.jwks());

    assertThat(published.getKeys()).singleElement().satisfies(k -> {
      assertThat(k.isPrivate()).isFalse();
      assertThat(k.getKeyID()).isEqualTo(keys.currentKeyId());
      assertThat(k.getAlgorithm().getName()).isEqualTo("ES256");
    });
    assertThat(keys.jwks()).doesNotContain("\"d\"");
  }

  @Test
  void rotationKeepsTheOldKeyPublishedUntilTheOverlapPasses() {
    SigningKeys keys = SigningKeys.open(keyDir(), overlap, clock);
    String old = keys.currentKeyId();

    String fresh = keys.rotate();

    assertThat(keys.currentKeyId()).isEqualTo(fresh).isNotEqualTo(old);
    assertThat(keyIds(keys)).containsExactly(fresh, old);
    clock.advance(overlap.minusSeconds(1));
    assertThat(keyIds(keys)).containsExactly(fresh, old);
    clock.advance(Duration.ofSeconds(2));
    assertThat(keyIds(keys)).containsExactly(fresh);
  }

  @Test
  void deletesKeysPastTheirOverlapFromDisk() throws Exception {
    SigningKeys keys = SigningKeys.open(keyDir(), overlap, clock);
    keys.rotate();
    clock.advance(overlap.plusMinutes(1));
    String newest = keys.rotate();

    assertThat(Files.list(keyDir()).map(p -> p.getFileName().toString()).toList()).hasSize(2);
    clock.advance(overlap.plusMinutes(1));
    keys.reload();

    assertThat(Files.list(keyDir()).map(p -> p.getFileName().toString()).toList())
        .containsExactly(newest + ".jwk.json");
  }

  @Test
  void reloadPicksUpAKeyRotatedByAnotherProcess() {
    SigningKeys server = SigningKeys.open(keyDir(), overlap, clock);
    clock.advance(Duration.ofSeconds(1));
    String rotated = SigningKeys.open(keyDir(), overlap, clock).rotate(); // what `portcullis keys rotate-signing` does

    server.reload();

    assertThat(server.currentKeyId()).isEqualTo(rotated);
    assertThat(keyIds(server)).hasSize(2);
  }

  @Test
  void refusesAKeyFileReadableByOthers() throws Exception {
    SigningKeys.open(keyDir(), overlap, clock);
    Path file = Files.list(keyDir()).findFirst().orElseThrow();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> SigningKeys.open(keyDir(), overlap, clock))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("is readable by others (rw-r--r--); run chmod 600 " + file);
  }

  @Test
  void refusesACorruptKeyFile() throws Exception {
    Files.createDirectories(keyDir());
    Path file = keyDir().resolve("broken.jwk.json");
    Files.writeString(file, "{\"created\":\"yesterday\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> SigningKeys.open(keyDir(), overlap, clock))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("broken.jwk.json is not a {\"created\", \"jwk\"} key file")
        .hasMessageContaining("delete it to have a new key generated");
  }

  @Test
  void refusesAnOverlapThatIsNotPositive() {
    assertThatThrownBy(() -> SigningKeys.inMemory(Duration.ZERO, clock))
        .hasMessageStartingWith("signing key overlap is PT0S; it must be longer than the longest token lifetime");
  }

  private static List<String> keyIds(SigningKeys keys) {
    return keys.publicKeys().getKeys().stream().map(JWK::getKeyID).toList();
  }
}
