package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The credential-value check's quick pre-filter never changes what the full pattern decides. */
class SecretValueTest {
  /** The decision without the pre-filter: {@link SecretRules}' own pattern on every value. */
  private static boolean full(String value) {
    return value.length() >= 8 && SecretRules.CREDENTIAL_VALUE.matcher(value).matches();
  }

  @Test
  void knownCredentialsAndPlainTextAreClassifiedAsBefore() {
    List<String> secret = List.of("Bearer abcdefgh1234", " \t\nbasic dXNlcjpwYXNzd29yZA== ", "BEARER abc.def_ghi",
        "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", "\u000Bbearer 12345678");
    List<String> plain = List.of("hello world", "beta release notes", " eyJhbGciOi.eyJzdWIi.x", "Bearer short",
        "", "        ", "the bearer abcdefgh1234", "\u00A0Bearer abcdefgh1234");
    secret.forEach(v -> assertThat(SecretRules.isSecretValue(v)).as(v).isTrue());
    plain.forEach(v -> assertThat(SecretRules.isSecretValue(v)).as(v).isFalse());
  }

  @Test
  void agreesWithTheFullPatternOnGeneratedValues() {
    Random random = new Random(20261125);
    String[] spaces = {"", " ", "\t", "\n", "\u000B", "\f", "\r", "\u00A0", "  "};
    String[] words = {"bearer", "Bearer", "BASIC", "basic", "bearr", "eyJ", "eyJhbGci", "EYJ", "b", "B", "e", "x",
        "\u212Aey", "ſ"};
    String[] tokens = {"abcDEF123", "abc", "a.b_c~d+e/f=g-h", "éééééééé", "abcd.efgh.ijkl", ".eyJzdWIi.", "12345678",
        "", "-_-_-_-_"};
    int secrets = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder value = new StringBuilder();
      for (int k = random.nextInt(3); k >= 0; k--) {
        value.append(spaces[random.nextInt(spaces.length)]).append(words[random.nextInt(words.length)])
            .append(spaces[random.nextInt(spaces.length)]).append(tokens[random.nextInt(tokens.length)]);
      }
      String v = value.toString();
      boolean expected = full(v);
      secrets += expected ? 1 : 0;
      assertThat(SecretRules.isSecretValue(v)).as("'%s'", v).isEqualTo(expected);
    }
    assertThat(secrets).as("the generator reaches both answers").isGreaterThan(1_000);
  }
}
