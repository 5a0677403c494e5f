package dev.portcullis.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {
  @Test
  void createdKeyMatchesItsStoredHashAndNothingElse() {
    ApiKeys.NewKey key = ApiKeys.create("support-bot");
    assertThat(key.plaintext()).startsWith("pcl_" + key.keyId() + "_");
    assertThat(key.storedHash()).startsWith("sha256:").doesNotContain(key.plaintext());
    ApiKeys.StoredKey stored = ApiKeys.parseStored(key.keyId(), key.storedHash());
    assertThat(stored.matches(key.plaintext())).isTrue();
    assertThat(stored.matches(key.plaintext() + "x")).isFalse();
    assertThat(stored.matches(ApiKeys.create("support-bot").plaintext())).isFalse();
  }

  @Test
  void sameKeyHashedTwiceGivesDifferentSaltedHashes() {
    assertThat(ApiKeys.hash("pcl_k1_secret")).isNotEqualTo(ApiKeys.hash("pcl_k1_secret"));
  }

  @Test
  void keyIdIsParsedEvenWhenTheSecretContainsUnderscores() {
    assertThat(ApiKeys.keyId("pcl_k1abc_se_cr_et")).contains("k1abc");
    assertThat(ApiKeys.keyId("pcl__secret")).isEmpty();
    assertThat(ApiKeys.keyId("pcl_k1_")).isEmpty();
    assertThat(ApiKeys.keyId("Bearer pcl_k1_x")).isEmpty();
    assertThat(ApiKeys.keyId(null)).isEmpty();
  }

  @Test
  void textualFormsNeverShowTheSecret() {
    ApiKeys.NewKey key = ApiKeys.create("a");
    assertThat(key.toString()).doesNotContain(key.plaintext());
    assertThat(key.yamlEntry()).contains(key.keyId(), key.storedHash()).doesNotContain(key.plaintext());
  }

  @Test
  void malformedStoredHashIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> ApiKeys.parseStored("k1", "md5:abc:def")).hasMessageNotContaining("abc")
        .hasMessageContaining("sha256:<salt>:<hash>");
    assertThatThrownBy(() -> ApiKeys.parseStored("k1", "sha256:!!:??")).hasMessageContaining("base64url");
  }
}
