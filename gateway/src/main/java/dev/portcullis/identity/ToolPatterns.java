package dev.portcullis.identity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tool-name patterns that limit a sub-agent: an exact catalog name ({@code acme.crm_get}) or a prefix ending in
 * {@code *} ({@code acme.*}, {@code *}). Wildcards elsewhere are refused, so coverage is decidable by prefix.
 */
final class ToolPatterns {
  private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_.:/-]{0,128}\\*?");

  private ToolPatterns() {}

  static boolean valid(String pattern) {
    return !pattern.isEmpty() && SYNTAX.matcher(pattern).matches();
  }

  /** Whether every tool {@code narrower} matches is also matched by {@code wider}. */
  static boolean covers(String wider, String narrower) {
    if (wider.endsWith("*")) {
      String prefix = wider.substring(0, wider.length() - 1);
      return narrower.startsWith(prefix);
    }
    return wider.equals(narrower);
  }

  /** Whether some pattern of {@code held} covers {@code requested}. */
  static boolean coveredBy(List<String> held, String requested) {
    return held.stream().anyMatch(h -> covers(h, requested));
  }
}
