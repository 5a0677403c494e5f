package dev.portcullis.audit;

import static dev.portcullis.audit.Entries.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor secrets = Redactor.secrets();

  @Test
  void redactsValuesUnderSecretKeysAtAnyDepth() {
    JsonNode args = json("""
        {"user": "ada", "password": "hunter2",
         "headers": {"Authorization": "x", "X-Api-Key": "k", "accept": "json"},
         "items": [{"client_secret": "s", "refreshToken": {"nested": 1}, "id": 7}],
         "PRIVATE_KEY": "-----BEGIN", "session_cookie": "c", "aws_access_key_id": "AKIA"}
        """);

    assertThat(secrets.redact(args)).isEqualTo(json("""
        {"user": "ada", "password": "[redacted]",
         "headers": {"Authorization": "[redacted]", "X-Api-Key": "[redacted]", "accept": "json"},
         "items": [{"client_secret": "[redacted]", "refreshToken": "[redacted]", "id": 7}],
         "PRIVATE_KEY": "[redacted]", "session_cookie": "[redacted]", "aws_access_key_id": "[redacted]"}
        """));
  }

  @Test
  void leavesOrdinaryKeysAndValuesAlone() {
    JsonNode args = json("""
        {"query": "Berlin", "author": "ada", "limit": 10, "tags": ["a", "b"], "password_hint": null,
         "note": "bearer of good news", "nested": {"path": "/tmp/x"}}
        """);

    assertThat(secrets.redact(args)).isSameAs(args);
  }

  @Test
  void redactsCredentialShapedValuesUnderAnyKey() {
    JsonNode args = json("""
        {"header": "Bearer abc.def.ghi", "basic": "Basic dXNlcjpwYXNz",
         "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl", "list": ["ok", "Bearer t0k3n-value"]}
        """);

    assertThat(secrets.redact(args)).isEqualTo(json("""
        {"header": "[redacted]", "basic": "[redacted]", "jwt": "[redacted]", "list": ["ok", "[redacted]"]}
        """));
  }

  @Test
  void neverModifiesItsInput() {
    JsonNode result = json("{\"rows\": [{\"name\": \"A\", \"token\": \"t-1\"}]}");
    String before = result.toString();

    JsonNode redacted = secrets.redact(result);

    assertThat(result.toString()).isEqualTo(before);
    assertThat(redacted.at("/rows/0/token").asText()).isEqualTo(Redactor.MARK);
  }

  @Test
  void customKeyPatternAndChainingAddToTheDefault() {
    Redactor custom = Redactor.secrets().andThen(Redactor.keys(Pattern.compile("(?i)ssn|iban")));

    assertThat(custom.redact(json("{\"SSN\": \"123\", \"iban\": \"DE1\", \"token\": \"t\", \"name\": \"ada\"}")))
        .isEqualTo(json("{\"SSN\": \"[redacted]\", \"iban\": \"[redacted]\", \"token\": \"[redacted]\","
            + " \"name\": \"ada\"}"));
    assertThat(Redactor.none().redact(json("{\"token\": \"t\"}"))).isEqualTo(json("{\"token\": \"t\"}"));
  }
}
