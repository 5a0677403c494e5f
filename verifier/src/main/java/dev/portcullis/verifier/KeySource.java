package dev.portcullis.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.util.Optional;

/** Where the verifier finds the gateway's public keys: a fixed set, or a JWKS URL fetched and cached. */
interface KeySource {
  /**
   * The public signing key with this id, fetching the key set again when it is stale or lacks the id (rate limited).
   *
   * @throws KeysUnavailable when there are no keys at all because they could not be fetched
   */
  Optional<JWK> find(String kid) throws KeysUnavailable;

  /** The key set could not be fetched and nothing is cached. */
  final class KeysUnavailable extends Exception {
    KeysUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Keys given once, never refetched. */
  static KeySource fixed(JWKSet keys) {
    JWKSet publicKeys = signingKeysOnly(keys);
    return kid -> Optional.ofNullable(publicKeys.getKeyByKeyId(kid));
  }

  /** Public signature keys only: private parts dropped, encryption keys ignored. */
  static JWKSet signingKeysOnly(JWKSet keys) {
    return new JWKSet(keys.toPublicJWKSet().getKeys().stream()
        .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
        .toList());
  }
}
