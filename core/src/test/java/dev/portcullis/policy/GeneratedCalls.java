package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random calls for the differential test, as the conditions of {@link GeneratedConditions} see them: arguments with
 * missing keys, nulls, wrong types, nested values, lists of strings, numbers, objects and maps, numeric strings,
 * numbers at the edges of int and double; agent attributes; sessions of every age, calls on weekdays and weekends.
 */
final class GeneratedCalls {
  private static final Policy POLICY = Fixtures.BOT_MAY_CALL_ANYTHING;
  private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
  /** Tuesday 10:00, Sunday 23:00, Friday 16:59:59.999 and 17:00, Tuesday 09:00 — all Berlin time. */
  private static final Instant[] RECEIVED = {Fixtures.TUESDAY_10_BERLIN, Fixtures.SUNDAY_NIGHT_BERLIN,
      Instant.parse("2026-03-06T15:59:59.999Z"), Instant.parse("2026-03-06T16:00:00Z"),
      Instant.parse("2026-03-03T08:00:00Z")};
  private static final Duration[] AGES = {Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(60),
      Duration.ofMinutes(90), Duration.ofDays(3), Duration.ofSeconds(-10), Duration.ofMillis(59_500)};

  private GeneratedCalls() {}

  /** A generated call, and what it holds, for the failure message. */
  record Sample(Activation call, String text) {}

  /** A session whose start is given (null: not recorded). */
  private record Session(Set<String> labels, List<String> toolsCalled, Instant startedAt) implements SessionView {
    @Override
    public String id() {
      return "s1";
    }

    @Override
    public long calls() {
      return toolsCalled.size();
    }
  }

  static Sample sample(Random r) {
    ObjectNode args = Json.object();
    for (String key : List.of("a", "b", "s", "n", "list", "obj", "items", "count", "m")) {
      if (r.nextInt(5) != 0) {
        args.set(key, switch (key) {
          case "items" -> r.nextInt(4) == 0 ? jsonValue(r, 2) : list(r);
          case "count" -> r.nextInt(3) == 0 ? jsonValue(r, 1) : numericText(r);
          case "m" -> r.nextBoolean() ? Fixtures.json("{\"a\": [1, 2], \"s\": {\"a\": \"x\"}}") : jsonValue(r, 2);
          default -> jsonValue(r, 2);
        });
      }
    }
    Map<String, Object> attributes = new HashMap<>();
    if (r.nextInt(4) != 0) {
      attributes.put("region", pick(r, "EU", "US", 3L, true));
    }
    if (r.nextInt(4) != 0) {
      attributes.put("tier", pick(r, 1L, 3L, 5L, 2.5, "3"));
    }
    if (r.nextInt(3) != 0) {
      attributes.put("tz", pick(r, "Europe/Berlin", "Asia/Tokyo", "Nowhere/Special", 1L));
    }
    if (r.nextInt(3) != 0) {
      attributes.put("regions", pick(r, List.of("EU", "US"), List.of(), List.of(1L, 2.5)));
    }
    Agent bot = new Agent("bot", "v1", Set.of("worker"), attributes, List.of(), "key-1");
    Set<String> labels = subset(r, "private_data", "untrusted_content", "external_egress");
    List<String> called = List.copyOf(subset(r, "crm.read", "mail.send", "files.delete"));
    Set<String> toolLabels = subset(r, "private_data", "financial");
    JsonNode annotations = switch (r.nextInt(4)) {
      case 0 -> null;
      case 1 -> Fixtures.json("{\"readOnlyHint\": true}");
      case 2 -> Fixtures.json("{\"readOnlyHint\": \"yes\"}");
      default -> Fixtures.json("{}");
    };
    String tool = pick(r, "crm.read", "mail.send");
    Set<String> factLabels = r.nextBoolean() ? Set.of("external_egress") : Set.of();
    Instant received = pick(r, RECEIVED);
    Instant started = r.nextInt(6) == 0 ? null : received.minus(pick(r, AGES));
    Call call = new Call("1", bot, new Session(labels, called, started), "tools/call", "t", args, Json.object(),
        "2026-07-28", Json.object(), received);
    Activation activation = new Activation(call, POLICY.engine().view(bot), tool,
        tool.substring(0, tool.indexOf('.')), annotations, toolLabels, factLabels);
    return new Sample(activation, "args " + args + ", agent attributes " + attributes + ", session labels " + labels
        + ", tools called " + called + ", started " + started + ", received " + received + ", tool " + tool
        + " labels " + toolLabels + factLabels + " annotations " + annotations);
  }

  private static JsonNode jsonValue(Random r, int depth) {
    return switch (r.nextInt(depth > 0 ? 14 : 12)) {
      case 0 -> NODES.numberNode(pick(r, 0L, 1L, 3L, -2L, 100L, 101L, 5L));
      case 1 -> NODES.numberNode(pick(r, 1.5, -0.5, 2.0, 100.0, 99.5, -0.0, 0.0, 2.9, -2.9));
      case 2, 3 -> NODES.textNode(pick(r, "", "a", "ab", "EU", "bob@acme.example", "crm.read", "héllo",
          "private_data", "(", "^ab", "Europe/Berlin"));
      case 4 -> NODES.booleanNode(r.nextBoolean());
      case 5 -> NODES.nullNode();
      case 6 -> list(r);
      case 7 -> Fixtures.json(pick(r, "{\"a\": 1}", "{\"a\": 1, \"s\": \"x\"}", "{}", "{\"a\": [1, 2.5]}"));
      case 8 -> NODES.numberNode(3);
      case 9 -> Fixtures.json(pick(r, "9999999999999999999", "9007199254740993", "9007199254740992.0",
          "9.3e18", "-9.3e18", "9223372036854775807", "-9223372036854775808", "9.223372036854775807E18",
          "-9.223372036854775808E18", "1e300", "-1e300", "123456789012345678901234567890"));
      case 10, 11 -> numericText(r);
      default -> {
        ObjectNode o = Json.object();
        o.set("a", jsonValue(r, depth - 1));
        if (r.nextBoolean()) {
          o.set("s", jsonValue(r, depth - 1));
        }
        yield o;
      }
    };
  }

  /** Lists of strings, numbers, objects, maps, lists and mixed elements. */
  private static JsonNode list(Random r) {
    return Fixtures.json(pick(r, "[1, 2, 3]", "[\"EU\", \"US\"]", "[]", "[1.5, 2.0]", "[4, 1, 2]",
        "[\"bob@d5.example\", \"eve@other.example\"]", "[\"eve@d5.example\"]", "[{\"a\": 1}, {\"a\": 2.0, \"s\": \"x\"}]",
        "[{\"a\": 1.0}]", "[{\"a\": [2, 3]}, {\"a\": []}]", "[[1], [2, 3]]", "[1, \"x\", null]", "[\"12\", \"-3\"]",
        "[\"a\", \"ab\", \"b\"]", "[{\"s\": \"EU\"}, {\"s\": \"US\", \"a\": 1}]", "[0, -0.0, 9007199254740993]",
        "[\"EU\", 1]", "[true, false]"));
  }

  /** Strings that int() and double() read, or reject, in telling ways. */
  private static JsonNode numericText(Random r) {
    return NODES.textNode(pick(r, "12", "+5", "-3", "1.5", "1e3", " 7", "abc", "9223372036854775807",
        "9223372036854775808", "-0", "NaN", "Infinity", "-Infinity", "0x10", "\u0661\u0662", "1_000", "2.9", "-2.9",
        "1.5d", "", "3.0", "0.1"));
  }

  private static Set<String> subset(Random r, String... items) {
    Set<String> out = new LinkedHashSet<>();
    for (String item : items) {
      if (r.nextBoolean()) {
        out.add(item);
      }
    }
    return out;
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
