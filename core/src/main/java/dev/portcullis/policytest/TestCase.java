package dev.portcullis.policytest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.Fields;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.ResultFilter;
import dev.portcullis.model.SessionView;
import dev.portcullis.policy.Policy;
import dev.portcullis.schema.Violation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** One case of a policy test file, and how it is run against a policy. */
record TestCase(String name, Mark mark, String agent, List<String> roles, String kind, String target,
    JsonNode arguments, List<String> history, Set<String> labels, Optional<Long> calls, Instant at,
    Optional<JsonNode> result, Expect expect) {

  /** Tuesday 10:00 in Berlin: inside business hours, so time-dependent rules are deterministic unless a case sets at. */
  static final Instant DEFAULT_AT = Instant.parse("2026-01-06T09:00:00Z");
  private static final Set<String> KEYS = Set.of("name", "agent", "roles", "tool", "prompt", "resource", "arguments",
      "session", "at", "result", "expect");
  private static final Set<String> EXPECT_KEYS = Set.of("effect", "rule", "reason_contains", "hint_contains",
      "result", "rows_removed");
  private static final Set<String> EFFECTS = Set.of("allow", "deny", "require_approval", "dry_run");

  record Expect(String effect, Optional<String> rule, List<String> reasonContains, List<String> hintContains,
      Optional<JsonNode> result, Optional<Long> rowsRemoved) {}

  static Optional<TestCase> parse(Node node, Problems problems) {
    Fields f = Fields.of(node, "a test case", problems, KEYS);
    String name = f.string("name").orElse("(unnamed case at " + f.mark() + ")");
    String ctx = "test '" + name + "'";
    int errors = problems.errorCount();
    f.require("agent", "name the agent the call comes from");
    List<String> kinds = Stream.of("tool", "prompt", "resource").filter(f::has).toList();
    if (kinds.size() != 1) {
      problems.error(f.mark(), ctx + " needs exactly one of tool, prompt or resource", "");
    }
    String kind = kinds.isEmpty() ? "tool" : kinds.get(0);
    JsonNode arguments = f.get("arguments").map(Node::toJson).orElse(Json.object());
    Fields session = Fields.of(f.get("session").orElse(new Node.ScalarNode(f.mark(), null, "")), "session of " + ctx,
        problems, Set.of("history", "labels", "calls"));
    Instant at = f.string("at").flatMap(text -> instant(text, f.get("at").get(), problems)).orElse(DEFAULT_AT);
    Fields e = Fields.of(f.get("expect").orElse(new Node.ScalarNode(f.mark(), null, "")), "expect of " + ctx, problems,
        EXPECT_KEYS);
    String effect = e.string("effect").orElse("");
    if (!EFFECTS.contains(effect)) {
      problems.error(e.mark(), ctx + " must expect an effect: allow, deny, require_approval or dry_run", "");
    }
    if (problems.errorCount() > errors) {
      return Optional.empty();
    }
    return Optional.of(new TestCase(name, f.mark(), f.string("agent").orElseThrow(), f.strings("roles"), kind,
        f.string(kind).orElse(""), arguments, session.strings("history"), new LinkedHashSet<>(session.strings("labels")),
        session.integer("calls", 0, Long.MAX_VALUE), at, f.get("result").map(Node::toJson),
        new Expect(effect, e.string("rule"), e.strings("reason_contains"), e.strings("hint_contains"),
            e.get("result").map(Node::toJson), e.integer("rows_removed", 0, Long.MAX_VALUE))));
  }

  private static Optional<Instant> instant(String text, Node at, Problems problems) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      problems.error(at.mark(), "at must be a date-time with offset such as 2026-03-02T18:30:00+01:00, found '" + text
          + "'", "");
      return Optional.empty();
    }
  }

  PolicyTests.CaseResult run(Policy policy, TestCatalog catalog) {
    Optional<Agent> declared = policy.agent(agent, "policy-test");
    if (declared.isEmpty()) {
      return fail(List.of("agent '" + agent + "' is not defined in the policy"));
    }
    Agent caller = roles.isEmpty() ? declared.get() : attenuate(policy, declared.get());
    if (caller == null) {
      return fail(List.of("agent '" + agent + "' cannot be narrowed to roles " + roles));
    }
    Set<String> sessionLabels = new LinkedHashSet<>(labels);
    history.forEach(t -> sessionLabels.addAll(policy.toolFacts(t).labels()));
    SessionView session = new TestSession(Set.copyOf(sessionLabels), List.copyOf(history),
        calls.orElse((long) history.size()), at.minusSeconds(600));
    ObjectNode params = Json.object().put(kind.equals("resource") ? "uri" : "name", target);
    params.set("arguments", arguments);
    String method = switch (kind) {
      case "prompt" -> "prompts/get";
      case "resource" -> "resources/read";
      default -> "tools/call";
    };
    Call call = new Call("test", caller, session, method, target, arguments, params, "2026-07-28", Json.object(), at);
    Outcome actual = outcome(policy, catalog, call);
    List<String> problems = new ArrayList<>();
    boolean ok = actual.effect.equals(expect.effect()) && expect.rule().map(actual.rule::equals).orElse(true);
    if (!ok) {
      problems.add("expected: effect " + expect.effect() + expect.rule().map(r -> ", rule " + r).orElse(""));
      problems.add("actual:   effect " + actual.effect + ", rule " + actual.rule);
      problems.add("reason:   " + actual.reason);
    }
    for (String s : expect.reasonContains()) {
      if (!actual.reason.contains(s)) {
        problems.add("reason does not contain \"" + s + "\":\n  " + actual.reason);
      }
    }
    for (String s : expect.hintContains()) {
      if (!actual.hint.contains(s)) {
        problems.add("hint does not contain \"" + s + "\":\n  " + actual.hint);
      }
    }
    checkFilter(actual, problems);
    return problems.isEmpty() ? new PolicyTests.CaseResult(name, mark, true, List.of())
        : new PolicyTests.CaseResult(name, mark, false, problems);
  }

  private void checkFilter(Outcome actual, List<String> problems) {
    if (result.isEmpty() || expect.result().isEmpty() && expect.rowsRemoved().isEmpty()) {
      return;
    }
    JsonNode filtered = result.get().deepCopy();
    ResultFilter.FilterReport report = actual.filter == null ? ResultFilter.FilterReport.NONE
        : actual.filter.apply(filtered, actual.call);
    expect.result().filter(want -> !want.equals(filtered)).ifPresent(want -> {
      problems.add("filtered result differs");
      problems.add("expected: " + Json.write(want));
      problems.add("actual:   " + Json.write(filtered));
    });
    expect.rowsRemoved().filter(n -> n != report.rowsRemoved())
        .ifPresent(n -> problems.add("expected " + n + " rows removed, the filter removed " + report.rowsRemoved()));
  }

  private Agent attenuate(Policy policy, Agent parent) {
    try {
      return policy.attenuate(parent, roles, "policy-test-sub");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private record Outcome(String effect, String rule, String reason, String hint, ResultFilter filter, Call call) {}

  private Outcome outcome(Policy policy, TestCatalog catalog, Call call) {
    if (kind.equals("tool") && catalog.validates(target)) {
      Optional<Violation> v = policy.argumentValidator().validate(catalog.tool(target), arguments);
      if (v.isPresent()) {
        return new Outcome("deny", "schema", v.get().message(), "", null, call);
      }
    }
    Decision d = switch (kind) {
      case "prompt" -> policy.decidePrompt(call);
      case "resource" -> policy.decideResource(call);
      default -> policy.decide(call, catalog.tool(target));
    };
    return switch (d) {
      case Decision.Allow a -> new Outcome("allow", a.ruleId(), a.reason(), "", a.filter().orElse(null), call);
      case Decision.Deny x -> new Outcome("deny", x.ruleId(), x.reason(), x.hint(), null, call);
      case Decision.NeedsApproval n -> new Outcome("require_approval", n.ruleId(), n.reason(), "", null, call);
      case Decision.DryRun r -> new Outcome("dry_run", r.ruleId(), r.reason(), "", null, call);
    };
  }

  private PolicyTests.CaseResult fail(List<String> details) {
    return new PolicyTests.CaseResult(name, mark, false, details);
  }

  private record TestSession(Set<String> labels, List<String> toolsCalled, long calls, Instant startedAt)
      implements SessionView {
    @Override
    public String id() {
      return "policy-test";
    }
  }
}
