package dev.portcullis.schema;

import java.util.Objects;

/**
 * Why a call's arguments were refused, written so the agent can fix the call.
 *
 * @param path where in the arguments ({@code amount}, {@code items[2].name}; empty for the arguments as a whole)
 * @param keyword the JSON Schema keyword or limit that failed ({@code maximum}, {@code additionalProperties},
 *     {@code maxDepth}, ...)
 * @param value the offending value, abbreviated
 * @param message a sentence naming the parameter, the constraint and what is allowed instead
 */
public record Violation(String path, String keyword, String value, String message) {
  public Violation {
    Objects.requireNonNull(path);
    Objects.requireNonNull(keyword);
    Objects.requireNonNull(value);
    Objects.requireNonNull(message);
  }
}
