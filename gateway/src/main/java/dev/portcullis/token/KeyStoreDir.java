package dev.portcullis.token;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory holding signing keys: {@code <kid>.jwk.json} files of {@code {"created": …, "jwk": {…}}}, mode 0600
 * in a 0700 directory. Files are written to a temporary name and moved into place, so a crash never leaves half a key.
 */
final class KeyStoreDir {
  private static final String SUFFIX = ".jwk.json";
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path dir;
  private final boolean posix;

  KeyStoreDir(Path dir) {
    this.dir = dir;
    try {
      if (Files.notExists(dir)) {
        Files.createDirectories(dir);
      }
      posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
      if (posix) {
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the signing key directory " + dir + ": " + e.getMessage(), e);
    }
  }

  List<StoredKey> load(EcdsaEngine engine) throws IOException {
    List<StoredKey> keys = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
        keys.add(read(file, engine));
      }
    }
    return keys;
  }

  private StoredKey read(Path file, EcdsaEngine engine) throws IOException {
    if (posix) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY_FILE.containsAll(perms)) {
        throw new IOException("signing key " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
            + "); run chmod 600 " + file + " and consider rotating the key, it may have leaked");
      }
    }
    try {
      Map<String, Object> json = JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8));
      JWK jwk = JWK.parse(JSONObjectUtils.getJSONObject(json, "jwk"));
      if (!(jwk instanceof ECKey ec) || !ec.isPrivate()) {
        throw new IOException("signing key " + file + " is not a private EC key; delete it or restore it from backup");
      }
      return StoredKey.of(ec, Instant.parse(JSONObjectUtils.getString(json, "created")), engine);
    } catch (ParseException | DateTimeParseException | NullPointerException e) {
      throw new IOException("signing key " + file + " is not a {\"created\", \"jwk\"} key file: " + e.getMessage()
          + "; delete it to have a new key generated", e);
    }
  }

  void save(StoredKey key) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("created", key.created().toString());
    json.put("jwk", key.jwk().toJSONObject());
    byte[] bytes = JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8);
    Path target = dir.resolve(key.keyId() + SUFFIX);
    Path temp = dir.resolve("." + key.keyId() + ".tmp");
    Files.deleteIfExists(temp);
    if (posix) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } else {
      Files.createFile(temp);
    }
    Files.write(temp, bytes);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  void delete(StoredKey key) {
    try {
      Files.deleteIfExists(dir.resolve(key.keyId() + SUFFIX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete expired signing key " + key.keyId() + " in " + dir, e);
    }
  }
}
