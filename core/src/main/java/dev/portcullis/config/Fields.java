package dev.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, located access to one mapping of the configuration. Unknown keys are reported when the view is created (with
 * a "did you mean" hint); every accessor reports a wrong type at the value's position and returns empty, so loading
 * goes on and collects all problems.
 */
public final class Fields {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private final Node.MapNode map;
  private final String context;
  private final Problems problems;

  private Fields(Node.MapNode map, String context, Problems problems) {
    this.map = map;
    this.context = context;
    this.problems = problems;
  }

  /**
   * A view of {@code node} as a mapping with the given keys. A null node (an empty section) is an empty mapping; any
   * other non-mapping is reported and yields an empty view.
   */
  public static Fields of(Node node, String context, Problems problems, Set<String> allowed) {
    if (node instanceof Node.ScalarNode s && s.isNull()) {
      return new Fields(new Node.MapNode(node.mark(), List.of()), context, problems);
    }
    if (!(node instanceof Node.MapNode map)) {
      problems.error(node.mark(), context + " must be a mapping, found " + node.describe(),
          "write it as 'key: value' lines" + (allowed.isEmpty() ? "" : " (keys: " + sorted(allowed) + ")"));
      return new Fields(new Node.MapNode(node.mark(), List.of()), context, problems);
    }
    for (Node.Entry e : map.entries()) {
      if (!allowed.contains(e.key())) {
        problems.error(e.keyMark(), "unknown key '" + e.key() + "' in " + context,
            Hints.closest(e.key(), allowed).map(c -> "did you mean '" + c + "'?")
                .orElse("allowed keys: " + sorted(allowed)));
      }
    }
    return new Fields(map, context, problems);
  }

  private static String sorted(Set<String> keys) {
    return String.join(", ", keys.stream().sorted().toList());
  }

  public Mark mark() {
    return map.mark();
  }

  public Node.MapNode node() {
    return map;
  }

  public String context() {
    return context;
  }

  public boolean has(String key) {
    return map.get(key).isPresent();
  }

  public Optional<Node> get(String key) {
    return map.get(key).filter(n -> !(n instanceof Node.ScalarNode s && s.isNull()));
  }

  /** Where the key was written, or the mapping's position when absent. */
  public Mark keyMark(String key) {
    return map.entry(key).map(Node.Entry::keyMark).orElse(map.mark());
  }

  public Optional<String> string(String key) {
    return get(key).flatMap(n -> text(n, key + " in " + context, problems));
  }

  public String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  public void require(String key, String hint) {
    if (get(key).isEmpty()) {
      problems.error(map.mark(), context + " needs '" + key + "'", hint);
    }
  }

  public Optional<Long> integer(String key, long min, long max) {
    return get(key).flatMap(n -> {
      if (n instanceof Node.ScalarNode s && s.value() instanceof Long l) {
        if (l < min || l > max) {
          problems.error(n.mark(), key + " in " + context + " is " + l + ", outside " + min + ".." + max, "");
          return Optional.empty();
        }
        return Optional.of(l);
      }
      problems.error(n.mark(), key + " in " + context + " must be a whole number, found " + n.describe(), "");
      return Optional.empty();
    });
  }

  public Optional<Double> number(String key, double min) {
    return get(key).flatMap(n -> {
      if (n instanceof Node.ScalarNode s && s.value() instanceof Number num) {
        double d = num.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d < min) {
          problems.error(n.mark(), key + " in " + context + " is " + s.text() + ", must be a finite number >= " + min, "");
          return Optional.empty();
        }
        return Optional.of(d);
      }
      problems.error(n.mark(), key + " in " + context + " must be a number, found " + n.describe(), "");
      return Optional.empty();
    });
  }

  public Optional<Boolean> bool(String key) {
    return get(key).flatMap(n -> {
      if (n instanceof Node.ScalarNode s && s.value() instanceof Boolean b) {
        return Optional.of(b);
      }
      problems.error(n.mark(), key + " in " + context + " must be true or false, found " + n.describe(), "");
      return Optional.empty();
    });
  }

  /** A list of texts; a single text is accepted as a one-element list. */
  public List<String> strings(String key) {
    return get(key).map(n -> texts(n, key + " in " + context, problems)).orElse(List.of());
  }

  public Optional<Duration> duration(String key) {
    return get(key).flatMap(n -> duration(n, key + " in " + context, problems));
  }

  /** A byte size: a whole number of bytes or a text such as {@code 1 MiB}, {@code 64KiB}. */
  public Optional<Long> size(String key) {
    return get(key).flatMap(n -> {
      if (n instanceof Node.ScalarNode s && s.value() instanceof Long l && l > 0) {
        return Optional.of(l);
      }
      if (n instanceof Node.ScalarNode s && s.value() instanceof String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (m.matches()) {
          long unit = switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT)) {
            case "kb" -> 1000L;
            case "kib" -> 1024L;
            case "mb" -> 1000L * 1000;
            case "mib" -> 1024L * 1024;
            case "gb" -> 1000L * 1000 * 1000;
            case "gib" -> 1024L * 1024 * 1024;
            default -> 1L;
          };
          return Optional.of(Long.parseLong(m.group(1)) * unit);
        }
      }
      problems.error(n.mark(), key + " in " + context + " must be a positive size, found " + n.describe(),
          "write a number of bytes or a size such as '1 MiB' or '64 KiB'");
      return Optional.empty();
    });
  }

  /** The entries of a nested mapping, in file order (empty when absent or not a mapping; the latter is reported). */
  public Map<String, Node.Entry> entries(String key) {
    Map<String, Node.Entry> out = new LinkedHashMap<>();
    get(key).ifPresent(n -> {
      if (n instanceof Node.MapNode m) {
        m.entries().forEach(e -> out.put(e.key(), e));
      } else {
        problems.error(n.mark(), key + " in " + context + " must be a mapping, found " + n.describe(), "");
      }
    });
    return out;
  }

  // ---- static helpers for single nodes ----

  /** {@code n} as a mapping with free keys (names of agents, roles, ...); null is an empty mapping. */
  public static Node.MapNode mapping(Node n, String what, Problems problems) {
    if (n instanceof Node.MapNode m) {
      return m;
    }
    if (!(n instanceof Node.ScalarNode s && s.isNull())) {
      problems.error(n.mark(), what + " must be a mapping, found " + n.describe(), "write it as 'name: ...' entries");
    }
    return new Node.MapNode(n.mark(), List.of());
  }

  public static Optional<String> text(Node n, String what, Problems problems) {
    if (n instanceof Node.ScalarNode s && s.value() instanceof String str) {
      return Optional.of(str);
    }
    if (n instanceof Node.ScalarNode s && s.value() != null && !(s.value() instanceof Boolean)) {
      return Optional.of(s.text()); // a number where text is expected (an id such as 42) is fine as text
    }
    problems.error(n.mark(), what + " must be text, found " + n.describe(), "");
    return Optional.empty();
  }

  public static List<String> texts(Node n, String what, Problems problems) {
    if (n instanceof Node.ScalarNode s && s.value() instanceof String str) {
      return List.of(str);
    }
    if (!(n instanceof Node.SeqNode seq)) {
      problems.error(n.mark(), what + " must be a list of text, found " + n.describe(), "write it as [a, b]");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Node item : seq.items()) {
      text(item, "each entry of " + what, problems).ifPresent(out::add);
    }
    return out;
  }

  public static Optional<Duration> duration(Node n, String what, Problems problems) {
    if (n instanceof Node.ScalarNode s && s.value() instanceof String text) {
      Matcher m = DURATION.matcher(text.strip());
      if (m.matches()) {
        double amount = Double.parseDouble(m.group(1));
        long millis = (long) (amount * switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1000;
          case "m" -> 60_000;
          case "h" -> 3_600_000;
          default -> 86_400_000;
        });
        if (millis > 0) {
          return Optional.of(Duration.ofMillis(millis));
        }
      }
      if (text.startsWith("P") || text.startsWith("p")) {
        try {
          return Optional.of(Duration.parse(text));
        } catch (RuntimeException ignored) {
          // reported below
        }
      }
    }
    problems.error(n.mark(), what + " must be a positive duration, found " + n.describe(),
        "write a number with a unit: 500ms, 30s, 10m, 2h, 1d");
    return Optional.empty();
  }
}
