package dev.portcullis.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys for agents: {@code pcl_<keyid>_<secret>}, the secret being 32 random bytes in base64url. The policy file
 * stores only {@code sha256:<salt>:<hash>}; a plaintext key is shown once, when it is created.
 *
 * <p>A salted SHA-256 (not a slow password hash) is the right tool here: the secret has 256 bits of entropy, so there
 * is nothing to brute-force, and verification stays around a microsecond on the hot path. The salt keeps equal keys
 * from producing equal hashes in different files.
 */
public final class ApiKeys {
  public static final String PREFIX = "pcl_";
  /** Key ids: lower-case letters and digits, so the id never contains the '_' separator. */
  public static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{1,32}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeys::sha256);
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private ApiKeys() {}

  /** A freshly created key: the plaintext (show it once, then forget it) and what goes into the policy file. */
  public record NewKey(String agentId, String keyId, String plaintext, String storedHash) {
    /** The line to paste under the agent's {@code keys:}. */
    public String yamlEntry() {
      return "{ id: " + keyId + ", hash: \"" + storedHash + "\" }";
    }

    @Override
    public String toString() {
      return "NewKey[agent=" + agentId + ", id=" + keyId + "]";
    }
  }

  /** A key as stored in the policy file, parsed once at load. */
  public record StoredKey(String keyId, byte[] salt, byte[] hash) {
    public StoredKey {
      Objects.requireNonNull(keyId);
      salt = salt.clone();
      hash = hash.clone();
    }

    /** Whether {@code presented} is this key; constant-time in the hash comparison. */
    public boolean matches(String presented) {
      return MessageDigest.isEqual(digest(salt, presented), hash);
    }

    @Override
    public String toString() {
      return "StoredKey[" + keyId + "]";
    }
  }

  /** Creates a new key for {@code agentId}. */
  public static NewKey create(String agentId) {
    StringBuilder id = new StringBuilder("k");
    for (int i = 0; i < 9; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String plaintext = PREFIX + id + "_" + B64.encodeToString(secret);
    return new NewKey(agentId, id.toString(), plaintext, hash(plaintext));
  }

  /** The stored form of {@code plaintext}, with a fresh 16-byte salt. */
  public static String hash(String plaintext) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return "sha256:" + B64.encodeToString(salt) + ":" + B64.encodeToString(digest(salt, plaintext));
  }

  /** The key id of a presented key, or empty when it is not of the form {@code pcl_<keyid>_<secret>}. */
  public static Optional<String> keyId(String presented) {
    if (presented == null || !presented.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int sep = presented.indexOf('_', PREFIX.length());
    if (sep <= PREFIX.length() || sep == presented.length() - 1) {
      return Optional.empty();
    }
    String id = presented.substring(PREFIX.length(), sep);
    return KEY_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
  }

  /**
   * Parses a stored {@code sha256:<salt>:<hash>}; the error message says what is wrong without echoing the value.
   */
  public static StoredKey parseStored(String keyId, String stored) {
    String[] parts = stored.split(":", -1);
    if (parts.length != 3 || !parts[0].equals("sha256")) {
      throw new IllegalArgumentException("a stored key hash has the form sha256:<salt>:<hash>");
    }
    try {
      byte[] salt = B64D.decode(parts[1]);
      byte[] hash = B64D.decode(parts[2]);
      if (hash.length != 32 || salt.length < 8) {
        throw new IllegalArgumentException("a stored key hash needs a salt of at least 8 bytes and a 32-byte SHA-256");
      }
      return new StoredKey(keyId, salt, hash);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("a stored")) {
        throw e;
      }
      throw new IllegalArgumentException("salt and hash of a stored key must be base64url");
    }
  }

  static byte[] digest(byte[] salt, String presented) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(salt);
    sha.update(presented.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
