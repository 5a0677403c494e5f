package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled list of name patterns: exact names, {@code *} (everything), and globs where {@code *} matches any run of
 * characters ({@code acme.*}, {@code acme.*_delete}, {@code file:///reports/*}). Matching is case-sensitive, because
 * MCP names are.
 */
final class NamePattern {
  static final NamePattern NONE = new NamePattern(List.of());

  private final List<String> sources;
  private final boolean all;
  private final Set<String> exact = new HashSet<>();
  private final List<String> prefixes = new ArrayList<>();
  private final List<Pattern> globs = new ArrayList<>();

  NamePattern(List<String> patterns) {
    this.sources = List.copyOf(patterns);
    boolean any = false;
    for (String p : patterns) {
      if (p.equals("*")) {
        any = true;
      } else if (!p.contains("*")) {
        exact.add(p);
      } else if (p.indexOf('*') == p.length() - 1) {
        prefixes.add(p.substring(0, p.length() - 1));
      } else {
        StringBuilder regex = new StringBuilder();
        for (String part : p.split("\\*", -1)) {
          if (!regex.isEmpty()) {
            regex.append(".*");
          }
          regex.append(Pattern.quote(part));
        }
        globs.add(Pattern.compile(regex.toString(), Pattern.DOTALL));
      }
    }
    this.all = any;
  }

  boolean isEmpty() {
    return sources.isEmpty();
  }

  List<String> sources() {
    return sources;
  }

  boolean matches(String name) {
    if (all || exact.contains(name)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    for (Pattern glob : globs) {
      if (glob.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Whether a single pattern is a plain name (no wildcard). */
  static boolean isLiteral(String pattern) {
    return !pattern.contains("*");
  }

  @Override
  public String toString() {
    return String.join(", ", sources);
  }
}
