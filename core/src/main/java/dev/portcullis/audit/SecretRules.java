package dev.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portcullis.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The default secret rules of {@link Redactor#secrets()} and the copy-on-write walk behind every redactor. */
final class SecretRules {
  private static final List<String> KEY_WORDS = List.of("password", "passwd", "passphrase", "secret", "token",
      "apikey", "authorization", "cookie", "credential", "privatekey", "accesskey");
  /** An HTTP credential ({@code Bearer <token>}, {@code Basic <base64>}) or a JWT, and nothing else. */
  /** A value that is a credential whatever its key: an HTTP authorization value or a JWT. */
  static final Pattern CREDENTIAL_VALUE = Pattern.compile(
      "\\s*(?i:bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}\\s*|eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
  private static final TextNode MARK_NODE = TextNode.valueOf(Redactor.MARK);

  private SecretRules() {}

  /**
   * Keys already classified: the same few argument and result keys come back on every call. Bounded, since keys come
   * from agents and tools; emptied when full.
   */
  private static final ConcurrentHashMap<String, Boolean> KNOWN_KEYS = new ConcurrentHashMap<>();
  private static final int KNOWN_KEYS_LIMIT = 4096;

  static boolean isSecretKey(String key) {
    Boolean known = KNOWN_KEYS.get(key);
    if (known != null) {
      return known;
    }
    boolean secret = classify(key);
    if (KNOWN_KEYS.size() >= KNOWN_KEYS_LIMIT) {
      KNOWN_KEYS.clear();
    }
    KNOWN_KEYS.put(key, secret);
    return secret;
  }

  private static boolean classify(String key) {
    String normal = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    for (String word : KEY_WORDS) {
      if (normal.contains(word)) {
        return true;
      }
    }
    return false;
  }

  static boolean isSecretValue(String value) {
    return value.length() >= 8 && mayBeCredential(value) && CREDENTIAL_VALUE.matcher(value).matches();
  }

  /**
   * False when {@link #CREDENTIAL_VALUE} cannot match, decided from the first characters alone: most values of most
   * calls are plain text, and this spares them a matcher. A match starts, after optional whitespace, with an ASCII
   * {@code b}/{@code B} ({@code bearer}, {@code basic}), or at the very start with {@code eyJ} (a JWT).
   */
  static boolean mayBeCredential(String value) {
    int i = 0;
    while (i < value.length() && isRegexSpace(value.charAt(i))) {
      i++;
    }
    if (i == value.length()) {
      return false;
    }
    char first = value.charAt(i);
    return first == 'b' || first == 'B' || i == 0 && value.startsWith("eyJ");
  }

  /** What {@code \s} matches without {@code UNICODE_CHARACTER_CLASS}. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  static JsonNode walk(JsonNode node, Predicate<String> secretKey, Predicate<String> secretValue) {
    if (node.isObject()) {
      ObjectNode copy = null;
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        JsonNode before = field.getValue();
        JsonNode after = secretKey.test(field.getKey()) && !before.isNull() && !before.isMissingNode()
            ? MARK_NODE
            : walk(before, secretKey, secretValue);
        if (after != before) {
          copy = copy == null ? Json.object().setAll((ObjectNode) node) : copy;
          copy.set(field.getKey(), after);
        }
      }
      return copy == null ? node : copy;
    }
    if (node.isArray()) {
      ArrayNode copy = null;
      for (int i = 0; i < node.size(); i++) {
        JsonNode before = node.get(i);
        JsonNode after = walk(before, secretKey, secretValue);
        if (after != before) {
          copy = copy == null ? Json.NODES.arrayNode().addAll((ArrayNode) node) : copy;
          copy.set(i, after);
        }
      }
      return copy == null ? node : copy;
    }
    if (node.isTextual() && secretValue.test(node.textValue())) {
      return MARK_NODE;
    }
    return node;
  }
}
