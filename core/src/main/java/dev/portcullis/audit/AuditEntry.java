package dev.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.ResultFilter.FilterReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the pipeline hands to {@link AuditLog#append} for one request: who called what, what the policy decided, what
 * happened upstream and what was released. Build one with {@link #builder()}.
 *
 * @param time when the gateway received the request (kept to the microsecond, which every store holds exactly)
 * @param requestId the JSON-RPC id as text, or empty
 * @param session the Portcullis session id
 * @param agent the calling agent's id, or empty when the caller was not authenticated
 * @param actorChain who acted for whom, outermost first (parent agents of a sub-agent)
 * @param clientInfo the client's {@code clientInfo}
 * @param protocolVersion the MCP revision the client speaks
 * @param method the MCP method, e.g. {@code tools/call} or {@code tools/list}
 * @param tool the tool, prompt or resource the method acts on; empty for lists
 * @param arguments the call's arguments; secrets are redacted by the log's {@link Redactor} before anything is stored
 * @param decision the kind of decision taken
 * @param rule the id of the grant or rule that decided
 * @param reason the decision's reason as the agent read it
 * @param policyVersion hash of the policy that decided
 * @param upstreamLatency time spent waiting for the upstream; zero when the call was not forwarded
 * @param outcome how the call ended
 * @param result the result as released to the agent ({@link MissingNode} when there was none); only a redacted
 *     excerpt and its SHA-256 are stored
 * @param filtered what the grant's result filter removed
 * @param extra further facts (approval id, cost, ...) stored as JSON and covered by the hash
 */
public record AuditEntry(
    Instant time,
    String requestId,
    String session,
    String agent,
    List<String> actorChain,
    JsonNode clientInfo,
    String protocolVersion,
    String method,
    String tool,
    JsonNode arguments,
    Verdict decision,
    String rule,
    String reason,
    String policyVersion,
    Duration upstreamLatency,
    Outcome outcome,
    JsonNode result,
    FilterReport filtered,
    ObjectNode extra) {

  public AuditEntry {
    time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(agent, "agent");
    actorChain = List.copyOf(actorChain);
    Objects.requireNonNull(clientInfo, "clientInfo");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(policyVersion, "policyVersion");
    Objects.requireNonNull(upstreamLatency, "upstreamLatency");
    if (upstreamLatency.isNegative()) {
      throw new IllegalArgumentException("upstreamLatency " + upstreamLatency + " is negative; pass Duration.ZERO"
          + " when the call was not forwarded");
    }
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(result, "result");
    filtered = new FilterReport(Objects.requireNonNull(filtered, "filtered").rowsRemoved(),
        List.copyOf(filtered.fieldsRedacted()));
    Objects.requireNonNull(extra, "extra");
  }

  /** The kind of decision an entry records. */
  public enum Verdict {
    ALLOW, DENY, NEEDS_APPROVAL, DRY_RUN,
    /** Refused before the policy was asked: unauthenticated, malformed, unknown tool. */
    REJECTED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The stored, lower-case name. */
    public String wire() {
      return wire;
    }

    static Verdict fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** The verdict for one of the policy's decisions. */
    public static Verdict of(Decision decision) {
      return switch (decision) {
        case Decision.Allow a -> ALLOW;
        case Decision.Deny d -> DENY;
        case Decision.NeedsApproval n -> NEEDS_APPROVAL;
        case Decision.DryRun r -> DRY_RUN;
      };
    }
  }

  /** How a request ended. */
  public enum Outcome {
    OK, TOOL_ERROR, TRANSPORT_ERROR, SCHEMA_VIOLATION,
    /** Denied, rejected or waiting for approval: the upstream never saw the call. */
    NOT_FORWARDED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The stored, lower-case name. */
    public String wire() {
      return wire;
    }

    static Outcome fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  /** A builder with empty defaults: outcome not forwarded, verdict rejected, no result, nothing filtered. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects an entry's fields; {@link #call(Call)} and {@link #decision(Decision)} fill most of them at once. */
  public static final class Builder {
    private Instant time = Instant.now();
    private String requestId = "";
    private String session = "";
    private String agent = "";
    private List<String> actorChain = List.of();
    private JsonNode clientInfo = Json.object();
    private String protocolVersion = "";
    private String method = "";
    private String tool = "";
    private JsonNode arguments = Json.object();
    private Verdict decision = Verdict.REJECTED;
    private String rule = "";
    private String reason = "";
    private String policyVersion = "";
    private Duration upstreamLatency = Duration.ZERO;
    private Outcome outcome = Outcome.NOT_FORWARDED;
    private JsonNode result = MissingNode.getInstance();
    private FilterReport filtered = FilterReport.NONE;
    private ObjectNode extra = Json.object();

    private Builder() {}

    /** Takes time, request id, session, agent, actor chain, client, protocol, method, tool and arguments. */
    public Builder call(Call call) {
      time = call.receivedAt() == null ? Instant.now() : call.receivedAt();
      requestId = orEmpty(call.requestId());
      session = call.session().id();
      agent = call.agent().id();
      actorChain = call.agent().actorChain();
      clientInfo = call.clientInfo() == null ? Json.object() : call.clientInfo();
      protocolVersion = orEmpty(call.protocolVersion());
      method = call.method();
      tool = call.target();
      arguments = call.arguments();
      return this;
    }

    /** Takes the verdict, rule id and reason of a policy decision. */
    public Builder decision(Decision decision) {
      this.decision = Verdict.of(decision);
      this.rule = decision.ruleId();
      this.reason = decision.reason();
      return this;
    }

    public Builder decision(Verdict decision, String rule, String reason) {
      this.decision = decision;
      this.rule = rule;
      this.reason = reason;
      return this;
    }

    public Builder time(Instant time) { this.time = time; return this; }
    public Builder requestId(String requestId) { this.requestId = requestId; return this; }
    public Builder session(String session) { this.session = session; return this; }
    public Builder agent(String agent) { this.agent = agent; return this; }
    public Builder actorChain(List<String> actorChain) { this.actorChain = actorChain; return this; }
    public Builder clientInfo(JsonNode clientInfo) { this.clientInfo = clientInfo; return this; }
    public Builder protocolVersion(String version) { this.protocolVersion = version; return this; }
    public Builder method(String method) { this.method = method; return this; }
    public Builder tool(String tool) { this.tool = tool; return this; }
    public Builder arguments(JsonNode arguments) { this.arguments = arguments; return this; }
    public Builder policyVersion(String policyVersion) { this.policyVersion = policyVersion; return this; }
    public Builder upstreamLatency(Duration latency) { this.upstreamLatency = latency; return this; }
    public Builder outcome(Outcome outcome) { this.outcome = outcome; return this; }
    public Builder result(JsonNode result) { this.result = result; return this; }
    public Builder filtered(FilterReport filtered) { this.filtered = filtered; return this; }
    public Builder extra(ObjectNode extra) { this.extra = extra; return this; }

    public AuditEntry build() {
      return new AuditEntry(time, requestId, session, agent, actorChain, clientInfo, protocolVersion, method, tool,
          arguments, decision, rule, reason, policyVersion, upstreamLatency, outcome,
          result == null ? MissingNode.getInstance() : result, filtered, extra);
    }

    private static String orEmpty(String s) {
      return s == null ? "" : s;
    }
  }
}
