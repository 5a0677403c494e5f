package dev.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Removes secrets from arguments, results and extra facts before they are hashed and stored: once an entry is in the
 * chain it cannot be edited without breaking it, so a secret must never get in. A redactor returns a redacted copy and
 * never modifies its input (the result it sees is still on its way to the agent).
 */
@FunctionalInterface
public interface Redactor {
  /** What a redacted value is replaced with. */
  String MARK = "[redacted]";

  /** {@code value} with secrets replaced by {@link #MARK}; {@code value} itself when there was nothing to redact. */
  JsonNode redact(JsonNode value);

  /** Runs {@code next} on what this redactor returns. */
  default Redactor andThen(Redactor next) {
    Objects.requireNonNull(next, "next");
    return value -> next.redact(redact(value));
  }

  /** Stores everything as given. Only for tests and for pipelines that redact on their own. */
  static Redactor none() {
    return value -> value;
  }

  /**
   * The default: values under keys that name a secret ({@code password}, {@code passwd}, {@code passphrase},
   * {@code secret}, {@code token}, {@code api_key}, {@code authorization}, {@code cookie}, {@code credential},
   * {@code private_key}, {@code access_key}; matched case-insensitively, ignoring {@code _} and {@code -}, anywhere in
   * the key, so {@code X-Api-Key} and {@code refreshToken} match too), and string values that carry a credential
   * ({@code Bearer …}, {@code Basic …}, anything shaped like a JWT), at any depth. It errs towards redacting too much:
   * {@code max_tokens} is redacted as well.
   */
  static Redactor secrets() {
    return matching(SecretRules::isSecretKey, SecretRules::isSecretValue);
  }

  /** Redacts values under keys that {@code keyPattern} matches as a whole (case-sensitive unless it says otherwise). */
  static Redactor keys(Pattern keyPattern) {
    return matching(key -> keyPattern.matcher(key).matches(), value -> false);
  }

  /** Redacts values whose key satisfies {@code secretKey} and strings that satisfy {@code secretValue}. */
  static Redactor matching(Predicate<String> secretKey, Predicate<String> secretValue) {
    return value -> SecretRules.walk(value, secretKey, secretValue);
  }
}
