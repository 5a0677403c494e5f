package dev.portcullis.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a value sits in an access token's claims: a claim name ({@code azp}), or a dotted path into nested objects
 * ({@code realm_access.roles}). A claim whose literal name contains dots (namespaced claims such as
 * {@code https://acme.example/roles}) is looked up first, so both spellings work.
 *
 * @param text the path as written in the policy
 */
public record ClaimPath(String text) {
  private static final int MAX_CHARS = 256;
  private static final Pattern NO_SPACE = Pattern.compile("\\S+");

  public ClaimPath {
    Objects.requireNonNull(text, "text");
    problem(text).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
  }

  /** What is wrong with {@code text} as a claim path, if anything. */
  public static Optional<String> problem(String text) {
    if (text.isEmpty()) {
      return Optional.of("a claim path cannot be empty");
    }
    if (text.length() > MAX_CHARS) {
      return Optional.of("a claim path is at most " + MAX_CHARS + " characters, this one has " + text.length());
    }
    if (!NO_SPACE.matcher(text).matches()) {
      return Optional.of("claim path '" + text + "' contains white space");
    }
    if (text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
      return Optional.of("claim path '" + text + "' has an empty segment");
    }
    return Optional.empty();
  }

  /** The value at this path in {@code claims}, or null when absent (or when a step is not an object). */
  public Object read(Map<String, ?> claims) {
    Object literal = claims.get(text);
    if (literal != null || text.indexOf('.') < 0) {
      return literal;
    }
    Object current = claims;
    for (String part : text.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }

  /**
   * The strings of a claim value: a JSON array's string items, or a string split at white space (the form of OAuth's
   * {@code scope}); empty for anything else.
   */
  static List<String> strings(Object value) {
    if (value instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }
    if (value instanceof java.util.Collection<?> items) {
      return items.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  @Override
  public String toString() {
    return text;
  }
}
