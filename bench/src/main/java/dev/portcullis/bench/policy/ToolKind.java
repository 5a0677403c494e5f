package dev.portcullis.bench.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * The kinds of generated tools. Tools of one kind share their arguments, so a grant covering several of them (a list or
 * a glob such as {@code crm.read_*}) can put conditions on those arguments. Every request supplies every argument of
 * its tool with the right type: a missing argument is a condition error in Portcullis (deny) but a skipped policy in
 * Cedar, and the comparison is about decisions, not error handling.
 */
enum ToolKind {
  READ("read", true, "id", "region"),
  SEARCH("search", true, "query", "limit"),
  REFUND("refund", false, "amount", "currency"),
  SEND("send", false, "to", "subject"),
  FILE("write", false, "path", "size"),
  DELETE("delete", false, "id", "reason"),
  EXPORT("export", true, "format", "rows");

  static final List<String> REGIONS = List.of("EU", "US", "APAC");
  static final List<String> RECIPIENTS = List.of("ops@acme.example", "finance@acme.example", "eve@partner.example",
      "someone@gmail.example", "legal@acme.example");
  static final List<String> PATHS = List.of("/reports/q1.csv", "/reports/2026/summary.md", "/home/alice/notes.txt",
      "/tmp/scratch.bin", "/shared/reports/old.csv", "/reports/../etc/passwd");
  static final List<String> QUERIES = List.of("invoice 4711", "customer smith", "password reset", "all open tickets",
      "refunds last week");
  static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "JPY");
  static final List<String> SUBJECTS = List.of("weekly report", "urgent: wire money", "ticket update", "hello");
  static final List<String> REASONS = List.of("gdpr erasure request", "duplicate record", "cleanup", "test");
  static final List<String> FORMATS = List.of("csv", "json", "parquet");

  /** The verb in the tool name ({@code crm.read_customer3}); globs select a kind by it. */
  final String verb;
  final boolean readOnly;
  final List<String> args;

  ToolKind(String verb, boolean readOnly, String... args) {
    this.verb = verb;
    this.readOnly = readOnly;
    this.args = List.of(args);
  }

  /** Arguments for a call: values drawn on both sides of the limits the generator uses. */
  ObjectNode arguments(Random rng) {
    ObjectNode a = JsonNodeFactory.instance.objectNode();
    switch (this) {
      case READ -> a.put("id", (rng.nextInt(4) == 0 ? "T-" : "C-") + rng.nextInt(10_000))
          .put("region", pick(rng, REGIONS));
      case SEARCH -> a.put("query", pick(rng, QUERIES)).put("limit", logUniform(rng, 1, 1_000));
      case REFUND -> a.put("amount", logUniform(rng, 1, 20_000)).put("currency", pick(rng, CURRENCIES));
      case SEND -> a.put("to", pick(rng, RECIPIENTS)).put("subject", pick(rng, SUBJECTS));
      case FILE -> a.put("path", pick(rng, PATHS)).put("size", logUniform(rng, 1, 10_000_000));
      case DELETE -> a.put("id", "C-" + rng.nextInt(10_000)).put("reason", pick(rng, REASONS));
      case EXPORT -> a.put("format", pick(rng, FORMATS)).put("rows", logUniform(rng, 1, 1_000_000));
    }
    return a;
  }

  /** The tool's {@code inputSchema}: every argument required, nothing else allowed. */
  ObjectNode inputSchema() {
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (String arg : args) {
      boolean number = List.of("limit", "amount", "size", "rows").contains(arg);
      properties.putObject(arg).put("type", number ? "integer" : "string");
    }
    args.forEach(schema.putArray("required")::add);
    schema.put("additionalProperties", false);
    return schema;
  }

  /** A condition on this kind's arguments, as a policy author would write it. */
  Predicate argumentPredicate(Random rng) {
    return switch (this) {
      case READ -> rng.nextBoolean() ? new Predicate.ArgIsAgentAttribute("region", "region")
          : new Predicate.ArgStartsWith("id", "C-");
      case SEARCH -> rng.nextBoolean() ? new Predicate.ArgAtMost("limit", pick(rng, List.of(50L, 100L, 200L)))
          : new Predicate.Not(new Predicate.ArgContains("query", "password"));
      case REFUND -> switch (rng.nextInt(3)) {
        case 0 -> new Predicate.ArgAtMost("amount", pick(rng, List.of(100L, 500L, 1_000L)));
        case 1 -> new Predicate.Any(List.of(new Predicate.ArgAtMost("amount", 250),
            new Predicate.AgentAtLeast("tier", 3)));
        default -> new Predicate.All(List.of(new Predicate.ArgAtLeast("amount", 10),
            new Predicate.ArgAtMost("amount", 2_000)));
      };
      case SEND -> rng.nextInt(3) > 0 ? new Predicate.ArgEndsWith("to", "@acme.example")
          : new Predicate.Not(new Predicate.ArgContains("subject", "urgent"));
      case FILE -> rng.nextBoolean() ? new Predicate.ArgStartsWith("path", "/reports/")
          : new Predicate.ArgAtMost("size", pick(rng, List.of(100_000L, 1_000_000L)));
      case DELETE -> rng.nextBoolean() ? new Predicate.ArgContains("reason", "gdpr")
          : new Predicate.AgentAtLeast("tier", 3);
      case EXPORT -> rng.nextBoolean() ? new Predicate.ArgAtMost("rows", pick(rng, List.of(1_000L, 50_000L)))
          : new Predicate.Not(new Predicate.SessionHasLabel("untrusted_content"));
    };
  }

  /** An argument tightening for this kind. */
  Tighten tightening(Random rng) {
    return switch (this) {
      case READ -> new Tighten.Prefix("id", "C-");
      case SEARCH -> new Tighten.Maximum("limit", pick(rng, List.of(100L, 250L)));
      case REFUND -> rng.nextBoolean() ? new Tighten.Maximum("amount", pick(rng, List.of(100L, 500L, 2_500L)))
          : new Tighten.OneOf("currency", List.of("USD", "EUR"));
      case SEND -> new Tighten.OneOf("to", List.of("ops@acme.example", "finance@acme.example", "legal@acme.example"));
      case FILE -> rng.nextBoolean() ? new Tighten.Prefix("path", "/reports/")
          : new Tighten.Maximum("size", 1_000_000);
      case DELETE -> new Tighten.OneOf("reason", List.of("gdpr erasure request", "duplicate record"));
      case EXPORT -> rng.nextBoolean() ? new Tighten.OneOf("format", List.of("csv", "json"))
          : new Tighten.Maximum("rows", 10_000);
    };
  }

  static <T> T pick(Random rng, List<T> list) {
    return list.get(rng.nextInt(list.size()));
  }

  static long logUniform(Random rng, long min, long max) {
    double v = Math.exp(Math.log(min) + rng.nextDouble() * (Math.log(max) - Math.log(min)));
    return Math.max(min, Math.min(max, Math.round(v)));
  }
}
