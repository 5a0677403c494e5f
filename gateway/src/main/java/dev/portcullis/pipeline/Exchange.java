package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.identity.AgentIdentity;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.Message;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Decision;
import dev.portcullis.model.ResultFilter.FilterReport;
import dev.portcullis.model.Tool;
import dev.portcullis.policy.Policy;
import dev.portcullis.session.Session;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One request's trip through the {@link Pipeline}. The front fills in what arrived (the message, the wire, the
 * credential); each step adds what it learned (the agent, the session, the tool, the decision, the outcome), and the
 * audit step writes all of it down.
 */
public final class Exchange {
  /** How the client reached Portcullis. */
  public enum Wire {
    STATELESS, STATEFUL, STDIO, HTTP_API;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name the audit log records (the same in every default locale). */
    public String label() {
      return label;
    }
  }

  /** How the call ended, for the audit log. */
  public enum Outcome { OK, TOOL_ERROR, DENIED, TRANSPORT_ERROR, PROTOCOL_ERROR, INPUT_REQUIRED }

  private final Message message;
  private final Wire wire;
  private final String protocolVersion;
  private final JsonNode clientInfo;
  private final ObjectNode clientCapabilities;
  private final Optional<String> bearer;
  private final Optional<Agent> preAuthenticated;
  private final Optional<String> sessionHint;
  private final Optional<String> logLevel;
  private final java.util.Map<String, String> paramHeaders;
  private final ClientChannel channel;
  private final Instant receivedAt = Instant.now();
  private final long startNanos = System.nanoTime();

  private Policy policy;
  private Agent agent;
  private Session session;
  private Tool tool;
  private String target = "";
  private String upstream;
  private String upstreamTarget;
  private Decision decision;
  private Outcome outcome;
  private long upstreamNanos = -1;
  private FilterReport filtered = FilterReport.NONE;
  private String note = "";
  private AgentIdentity identity;
  private Supplier<String> credential;
  private final List<String> credentialIds = new CopyOnWriteArrayList<>();

  private Exchange(Builder b) {
    this.message = Objects.requireNonNull(b.message, "message");
    this.wire = Objects.requireNonNull(b.wire, "wire");
    this.protocolVersion = Objects.requireNonNull(b.protocolVersion, "protocolVersion");
    this.clientInfo = b.clientInfo == null ? Json.object() : b.clientInfo;
    this.clientCapabilities = b.clientCapabilities == null ? Json.object() : b.clientCapabilities;
    this.bearer = Optional.ofNullable(b.bearer);
    this.preAuthenticated = Optional.ofNullable(b.preAuthenticated);
    this.sessionHint = Optional.ofNullable(b.sessionHint);
    this.logLevel = Optional.ofNullable(b.logLevel);
    this.paramHeaders = b.paramHeaders == null ? java.util.Map.of() : java.util.Map.copyOf(b.paramHeaders);
    this.channel = b.channel == null ? ClientChannel.NONE : b.channel;
  }

  public static Builder builder(Message message, Wire wire, String protocolVersion) {
    Builder b = new Builder();
    b.message = message;
    b.wire = wire;
    b.protocolVersion = protocolVersion;
    return b;
  }

  public Message message() {
    return message;
  }

  public String method() {
    return message.method();
  }

  public ObjectNode params() {
    return message.params();
  }

  public Wire wire() {
    return wire;
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public JsonNode clientInfo() {
    return clientInfo;
  }

  public ObjectNode clientCapabilities() {
    return clientCapabilities;
  }

  /** The credential presented in the {@code Authorization} header (never forwarded upstream). */
  public Optional<String> bearer() {
    return bearer;
  }

  /** An agent the front already knows (the stdio front runs as one agent). */
  public Optional<Agent> preAuthenticated() {
    return preAuthenticated;
  }

  /** The session the client named: a 2025 {@code Mcp-Session-Id} or a 2026 handle from {@code _meta}. */
  public Optional<String> sessionHint() {
    return sessionHint;
  }

  public ClientChannel channel() {
    return channel;
  }

  /** The least severe log level the client wants ({@code _meta} logLevel on 2026, {@code logging/setLevel} on 2025). */
  public Optional<String> logLevel() {
    return logLevel;
  }

  /**
   * The request's {@code Mcp-Param-*} headers on the 2026 HTTP wire: lower-case name to decoded value (null when the
   * value was malformed). Checked against the arguments for tools that declare {@code x-mcp-header}.
   */
  public java.util.Map<String, String> paramHeaders() {
    return paramHeaders;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  public long startNanos() {
    return startNanos;
  }

  /** The policy this request is decided under, fixed when it arrived (a reload does not change it mid-flight). */
  public Policy policy() {
    return policy;
  }

  void policy(Policy policy) {
    this.policy = policy;
  }

  public Agent agent() {
    return agent;
  }

  void agent(Agent agent) {
    this.agent = agent;
  }

  /** What the bearer token said when the agent authenticated with one (OIDC or sub-agent); empty for API keys. */
  public Optional<AgentIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  void identity(AgentIdentity identity) {
    this.identity = identity;
  }

  /** Mints a per-call token for each request sent upstream; null when none goes with this request. */
  Supplier<String> credential() {
    return credential;
  }

  void credential(Supplier<String> credential) {
    this.credential = credential;
  }

  /** The {@code jti} of every per-call token minted for this request, for the audit log. */
  public List<String> credentialIds() {
    return List.copyOf(credentialIds);
  }

  void credentialMinted(String jti) {
    credentialIds.add(jti);
  }

  public Session session() {
    return session;
  }

  void session(Session session) {
    this.session = session;
  }

  public Tool tool() {
    return tool;
  }

  void tool(Tool tool) {
    this.tool = tool;
  }

  /** The tool name, prompt name or resource URI this request acts on; empty for lists. */
  public String target() {
    return target;
  }

  void target(String target) {
    this.target = target == null ? "" : target;
  }

  /** The upstream that serves this request, or null when the gateway answers it. */
  public String upstream() {
    return upstream;
  }

  /** The tool name, prompt name or URI as the upstream knows it. */
  public String upstreamTarget() {
    return upstreamTarget;
  }

  void route(String upstream, String upstreamTarget) {
    this.upstream = upstream;
    this.upstreamTarget = upstreamTarget;
  }

  public Decision decision() {
    return decision;
  }

  void decision(Decision decision) {
    this.decision = decision;
  }

  public Outcome outcome() {
    return outcome;
  }

  void outcome(Outcome outcome) {
    this.outcome = outcome;
  }

  /** Time spent waiting for the upstream, or -1 when the request never reached one. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  void upstreamNanos(long nanos) {
    this.upstreamNanos = nanos;
  }

  public FilterReport filtered() {
    return filtered;
  }

  void filtered(FilterReport report) {
    this.filtered = report;
  }

  /** A short remark for the audit log (why a transport error happened, what was translated). */
  public String note() {
    return note;
  }

  void note(String note) {
    this.note = note == null ? "" : note;
  }

  /** Collects what the front knows before the pipeline runs. */
  public static final class Builder {
    private Message message;
    private Wire wire;
    private String protocolVersion;
    private JsonNode clientInfo;
    private ObjectNode clientCapabilities;
    private String bearer;
    private Agent preAuthenticated;
    private String sessionHint;
    private String logLevel;
    private java.util.Map<String, String> paramHeaders;
    private ClientChannel channel;

    public Builder clientInfo(JsonNode clientInfo) {
      this.clientInfo = clientInfo;
      return this;
    }

    public Builder clientCapabilities(ObjectNode capabilities) {
      this.clientCapabilities = capabilities;
      return this;
    }

    public Builder bearer(String bearer) {
      this.bearer = bearer;
      return this;
    }

    public Builder preAuthenticated(Agent agent) {
      this.preAuthenticated = agent;
      return this;
    }

    public Builder sessionHint(String sessionHint) {
      this.sessionHint = sessionHint;
      return this;
    }

    public Builder logLevel(String logLevel) {
      this.logLevel = logLevel;
      return this;
    }

    public Builder paramHeaders(java.util.Map<String, String> paramHeaders) {
      this.paramHeaders = paramHeaders;
      return this;
    }

    public Builder channel(ClientChannel channel) {
      this.channel = channel;
      return this;
    }

    public Exchange build() {
      return new Exchange(this);
    }
  }
}
