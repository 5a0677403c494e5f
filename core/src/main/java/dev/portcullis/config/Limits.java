package dev.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Structural limits on what an agent may send, checked before any schema or policy evaluation so that huge or deeply
 * nested input cannot make evaluation expensive.
 *
 * @param maxBodyBytes largest request body, and the largest estimated size of one call's arguments
 * @param maxDepth deepest nesting of arrays and objects in arguments
 * @param maxStringLength longest string (in UTF-16 chars) anywhere in arguments, keys included
 * @param maxArrayItems most items in one array
 * @param upstreamTimeout default time one upstream call may take (an upstream's own {@code timeout} overrides it)
 */
public record Limits(long maxBodyBytes, int maxDepth, int maxStringLength, int maxArrayItems, Duration upstreamTimeout) {
  public static final Limits DEFAULTS = new Limits(1024 * 1024, 32, 64 * 1024, 1000, Duration.ofSeconds(30));

  public Limits {
    if (maxBodyBytes <= 0 || maxDepth <= 0 || maxStringLength <= 0 || maxArrayItems <= 0) {
      throw new IllegalArgumentException("limits must be positive: " + maxBodyBytes + ", " + maxDepth + ", "
          + maxStringLength + ", " + maxArrayItems);
    }
    Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
  }
}
