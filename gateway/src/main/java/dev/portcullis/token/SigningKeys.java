package dev.portcullis.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.config.CredentialsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's token-signing keys (ES256, P-256): one current key that signs, and the keys it replaced, still
 * published in the JWKS until every token they signed has expired (the overlap window). Keys are kept in a directory
 * of the gateway's data dir, one file per key, readable by the owner only, so tokens survive a restart. Signatures are
 * computed by the configured {@link CredentialsConfig.Signer} (AWS-LC when it loads, else the JDK).
 *
 * <p>Thread-safe: signing reads an immutable snapshot; {@link #rotate()} and {@link #reload()} swap it.
 */
public final class SigningKeys {
  /** Default overlap: longer than any token the gateway signs (per-call 30 s, sub-agent tokens at most 15 min). */
  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(20);
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final KeyStoreDir store; // null when in memory only
  private final Duration overlap;
  private final Clock clock;
  private final EcdsaEngine engine;
  private volatile List<StoredKey> keys; // newest first; the first one signs
  /** Encoded JWS headers by key id and token type; a handful of entries (keys in their overlap × token types). */
  private final Map<String, byte[]> headers = new ConcurrentHashMap<>();

  private SigningKeys(KeyStoreDir store, Duration overlap, Clock clock, EcdsaEngine engine) {
    this.store = store;
    this.overlap = overlap;
    this.clock = clock;
    this.engine = engine;
    this.keys = store == null ? List.of(StoredKey.generate(clock.instant(), engine)) : List.of();
  }

  /**
   * Loads the keys in {@code dir}, creating the directory (mode 0700) and a first key (mode 0600) when there is none.
   * Keys retired longer ago than {@code overlap} are deleted.
   *
   * @throws UncheckedIOException when the directory or a key file can't be read or written, or a key file is readable
   *     by other users (the message names the file and the {@code chmod} that fixes it)
   */
  public static SigningKeys open(Path dir, Duration overlap, Clock clock, CredentialsConfig.Signer signer) {
    requireOverlap(overlap);
    KeyStoreDir store = new KeyStoreDir(dir);
    SigningKeys keys = new SigningKeys(store, overlap, clock, EcdsaEngine.resolve(signer));
    keys.reload();
    return keys;
  }

  /** {@link #open(Path, Duration, Clock, CredentialsConfig.Signer)} with the default signer ({@code auto}). */
  public static SigningKeys open(Path dir, Duration overlap, Clock clock) {
    return open(dir, overlap, clock, CredentialsConfig.Signer.AUTO);
  }

  /** Keys that live only in this process (tests, or a gateway without a data dir): lost on restart. */
  public static SigningKeys inMemory(Duration overlap, Clock clock, CredentialsConfig.Signer signer) {
    requireOverlap(overlap);
    return new SigningKeys(null, overlap, clock, EcdsaEngine.resolve(signer));
  }

  /** {@link #inMemory(Duration, Clock, CredentialsConfig.Signer)} with the default signer ({@code auto}). */
  public static SigningKeys inMemory(Duration overlap, Clock clock) {
    return inMemory(overlap, clock, CredentialsConfig.Signer.AUTO);
  }

  /** What computes the signatures, for the start-up log: e.g. {@code AWS-LC v1.47.0 (...)} or the JDK. */
  public String signerDescription() {
    return engine.description();
  }

  /**
   * Re-reads the key directory, picking up a key written by {@code portcullis keys rotate-signing} from another
   * process. Generates a first key when the directory holds none.
   */
  public synchronized void reload() {
    if (store == null) {
      return;
    }
    try {
      List<StoredKey> loaded = new ArrayList<>(store.load(engine));
      if (loaded.isEmpty()) {
        StoredKey first = StoredKey.generate(clock.instant(), engine);
        store.save(first);
        loaded.add(first);
      }
      keys = prune(loaded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes a new key the signing key. The previous one stays in {@link #jwks()} for the overlap window, so tokens it
   * signed keep verifying until they expire.
   *
   * @return the new key's id
   */
  public synchronized String rotate() {
    StoredKey fresh = StoredKey.generate(clock.instant(), engine);
    try {
      if (store != null) {
        store.save(fresh);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<StoredKey> next = new ArrayList<>(keys.size() + 1);
    next.add(fresh);
    next.addAll(keys);
    keys = prune(next);
    return fresh.keyId();
  }

  /** The id of the key that signs now. */
  public String currentKeyId() {
    return keys.getFirst().keyId();
  }

  /** The public keys a verifier may meet: the current key and those still in their overlap window. */
  public JWKSet publicKeys() {
    List<StoredKey> snapshot = live(keys);
    List<JWK> jwks = new ArrayList<>(snapshot.size());
    for (StoredKey key : snapshot) {
      jwks.add(key.jwk().toPublicJWK());
    }
    return new JWKSet(jwks);
  }

  /** The JSON document to serve at {@code /.well-known/jwks.json} ({@code application/jwk-set+json}). */
  public String jwks() {
    return publicKeys().toString(true);
  }

  /** The public key with this id if it is still live, for checking tokens this gateway signed. */
  public Optional<JWK> publicKey(String keyId) {
    return Optional.ofNullable(publicKeys().getKeyByKeyId(keyId));
  }

  /**
   * Signs {@code claims} with the current key as a compact JWS with the given {@code typ} header.
   *
   * @param type the explicit JWT type (RFC 8725 3.11) that keeps token kinds apart, e.g. {@code portcullis-call+jwt}
   */
  public String sign(String type, JWTClaimsSet claims) {
    return sign(type, claims.toPayload().toBytes());
  }

  /** Signs claims given as UTF-8 JSON, as {@link #sign(String, JWTClaimsSet)} does. */
  String sign(String type, byte[] claimsJson) {
    StoredKey key = keys.getFirst();
    byte[] header = header(key, type);
    byte[] payload = BASE64URL.encode(claimsJson);
    byte[] input = new byte[header.length + 1 + payload.length]; // header.payload, ASCII
    System.arraycopy(header, 0, input, 0, header.length);
    input[header.length] = '.';
    System.arraycopy(payload, 0, input, header.length + 1, payload.length);
    byte[] signature;
    try {
      Signature signer = key.signature();
      signer.update(input);
      signature = signer.sign(); // resets the signer to its initialized state
      key.release(signer);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with key " + key.keyId() + " failed", e);
    }
    byte[] encoded = BASE64URL.encode(signature);
    byte[] token = Arrays.copyOf(input, input.length + 1 + encoded.length);
    token[input.length] = '.';
    System.arraycopy(encoded, 0, token, input.length + 1, encoded.length);
    return new String(token, StandardCharsets.ISO_8859_1); // ASCII, kept as a compact Latin-1 string
  }

  /** The encoded protected header for this key and token type (ASCII), built once. */
  private byte[] header(StoredKey key, String type) {
    return headers.computeIfAbsent(key.keyId() + " " + type, k -> new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(key.keyId())
        .type(new JOSEObjectType(type))
        .build()
        .toBase64URL()
        .toString()
        .getBytes(StandardCharsets.US_ASCII));
  }

  /** Keys to publish: the current one, and older ones whose successor was created less than the overlap ago. */
  private List<StoredKey> live(List<StoredKey> newestFirst) {
    Instant cutoff = clock.instant().minus(overlap);
    List<StoredKey> live = new ArrayList<>();
    live.add(newestFirst.getFirst());
    for (int i = 1; i < newestFirst.size(); i++) {
      Instant retiredAt = newestFirst.get(i - 1).created();
      if (retiredAt.isAfter(cutoff)) {
        live.add(newestFirst.get(i));
      }
    }
    return List.copyOf(live);
  }

  private List<StoredKey> prune(List<StoredKey> all) {
    headers.clear(); // the set of keys changes: rebuild cached headers on demand
    List<StoredKey> sorted = new ArrayList<>(all);
    sorted.sort((a, b) -> b.created().compareTo(a.created()));
    List<StoredKey> live = live(sorted);
    if (store != null) {
      for (StoredKey key : sorted) {
        if (!live.contains(key)) {
          store.delete(key);
        }
      }
    }
    return live;
  }

  private static void requireOverlap(Duration overlap) {
    Objects.requireNonNull(overlap, "overlap");
    if (overlap.isNegative() || overlap.isZero()) {
      throw new IllegalArgumentException("signing key overlap is " + overlap + "; it must be longer than the"
          + " longest token lifetime, e.g. " + DEFAULT_OVERLAP);
    }
  }
}
