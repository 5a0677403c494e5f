package dev.portcullis.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" suggestions by edit distance, for unknown keys and references. */
public final class Hints {
  private Hints() {}

  /** The closest candidate within a distance that makes a typo plausible, if any. */
  public static Optional<String> closest(String input, Collection<String> candidates) {
    int budget = Math.max(1, Math.min(3, input.length() / 3));
    return candidates.stream()
        .map(c -> new Scored(c, distance(input.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
        .filter(s -> s.distance <= budget)
        .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::candidate))
        .map(Scored::candidate);
  }

  /** A hint naming the closest candidate, or listing the candidates when none is close. */
  public static String didYouMean(String input, Collection<String> candidates, String what) {
    Optional<String> close = closest(input, candidates);
    if (close.isPresent()) {
      return "did you mean '" + close.get() + "'?";
    }
    if (candidates.isEmpty()) {
      return "no " + what + " is defined";
    }
    return "defined " + what + ": " + String.join(", ", candidates.stream().sorted().toList());
  }

  private record Scored(String candidate, int distance) {}

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
