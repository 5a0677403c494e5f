package dev.portcullis.bench.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One argument tightening of a generated grant ({@code args: {amount: {maximum: 100}}}), rendered as the Portcullis
 * JSON Schema and as the equivalent Cedar expression. Only keywords Cedar can express are generated, so the
 * comparison stays exact.
 */
sealed interface Tighten {
  String arg();

  /** The JSON Schema of the argument, as a YAML flow mapping. */
  String schema();

  /** The same constraint as a Cedar expression. */
  String cedar();

  /** {@code maximum}. */
  record Maximum(String arg, long max) implements Tighten {
    public String schema() {
      return "{maximum: " + max + "}";
    }

    public String cedar() {
      return "context.args." + arg + " <= " + max;
    }
  }

  /** {@code pattern: "^prefix"} (Cedar: {@code like "prefix*"}). */
  record Prefix(String arg, String prefix) implements Tighten {
    public String schema() {
      return "{pattern: " + Quote.yaml(Quote.regexPrefix(prefix)) + "}";
    }

    public String cedar() {
      return "context.args." + arg + " like " + Quote.cedarLike("", prefix, "*");
    }
  }

  /** {@code enum} of strings (Cedar: set membership). */
  record OneOf(String arg, List<String> values) implements Tighten {
    public OneOf {
      values = List.copyOf(values);
    }

    public String schema() {
      return "{enum: [" + values.stream().map(Quote::yaml).collect(Collectors.joining(", ")) + "]}";
    }

    public String cedar() {
      return "[" + values.stream().map(Quote::cedar).collect(Collectors.joining(", ")) + "].contains(context.args."
          + arg + ")";
    }
  }
}
