package dev.portcullis.policy;

import dev.portcullis.config.AuditConfig;
import dev.portcullis.config.ConfigSource;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Problem;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.config.UpstreamConfig;
import dev.portcullis.keys.ApiKeys;
import dev.portcullis.model.Agent;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.Tool;
import dev.portcullis.schema.ArgumentValidator;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, compiled, immutable policy: the whole configuration of one Portcullis, and the decision point for every
 * call. Built by {@link PolicyLoader}; swapped as a whole on reload, so a call decided under one version finishes
 * under it.
 */
public final class Policy {
  private static final ApiKeys.StoredKey DECOY = ApiKeys.parseStored("decoy",
      "sha256:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

  private final ConfigSource source;
  private final ServerConfig server;
  private final AuditConfig audit;
  private final Map<String, UpstreamConfig> upstreams;
  private final Set<String> labels;
  private final Map<String, ToolFacts> facts;
  private final Map<String, Mark> toolMarks;
  private final RoleGraph graph;
  private final List<Entry> rules;
  private final Map<String, AgentSpec> agents;
  private final Map<String, AgentsCompiler.KeyEntry> keys;
  private final OidcMapping oidc;
  private final Budgets budgets;
  private final List<Problem> warnings;
  private final Engine engine;
  private final ArgumentValidator validator;
  private final Map<String, Agent> keyAgents = new HashMap<>();
  private final Map<String, Entry> entriesById = new HashMap<>();

  Policy(ConfigSource source, ServerConfig server, AuditConfig audit, Map<String, UpstreamConfig> upstreams,
      Set<String> labels, Map<String, ToolFacts> facts, Map<String, Mark> toolMarks, RoleGraph graph,
      List<Entry> rules, Map<String, AgentSpec> agents, Map<String, AgentsCompiler.KeyEntry> keys,
      Budgets budgets, List<Problem> warnings) {
    this.source = source;
    this.server = server;
    this.audit = audit;
    this.upstreams = Map.copyOf(upstreams);
    this.labels = Set.copyOf(labels);
    this.facts = Map.copyOf(facts);
    this.toolMarks = Map.copyOf(toolMarks);
    this.graph = graph;
    this.rules = List.copyOf(rules);
    this.agents = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(agents));
    this.keys = keys;
    this.oidc = new OidcMapping(this.agents.values(), graph);
    this.budgets = budgets;
    this.warnings = List.copyOf(warnings);
    this.engine = new Engine(this.agents, this.facts, graph, this.rules, oidc::ceiling);
    this.validator = new ArgumentValidator(server.limits(),
        name -> facts.containsKey(name) && facts.get(name).allowUndeclaredArguments());
    keys.forEach((keyId, entry) -> keyAgents.put(keyId, toAgent(agents.get(entry.agentId()), keyId)));
    graph.names().forEach(r -> graph.role(r).grants().forEach(e -> entriesById.put(e.id, e)));
    rules.forEach(e -> entriesById.put(e.id, e));
  }

  private static Agent toAgent(AgentSpec spec, String credentialId) {
    return new Agent(spec.id(), spec.version(), spec.effectiveRoles(), spec.attributes(), List.of(), credentialId);
  }

  // ---- configuration ----

  /** SHA-256 (hex) of the source files: recorded in every audit entry. */
  public String version() {
    return source.version();
  }

  public List<Path> files() {
    return source.files();
  }

  public ServerConfig server() {
    return server;
  }

  public AuditConfig audit() {
    return audit;
  }

  public Map<String, UpstreamConfig> upstreams() {
    return upstreams;
  }

  /** Declared agents by id, in file order. */
  public Map<String, AgentSpec> agents() {
    return agents;
  }

  /** What the policy says about a tool; an empty fact sheet for tools it does not mention. */
  public ToolFacts toolFacts(String toolName) {
    return engine.facts(toolName);
  }

  /**
   * The labels a call of {@code tool} adds to the session: the policy's {@code tools:} labels plus those the catalog
   * entry carries. The gateway adds them after each allowed call; flow rules read them as {@code session.labels}.
   */
  public Set<String> labels(Tool tool) {
    Set<String> facts = engine.facts(tool.name()).labels();
    if (tool.labels().isEmpty() || facts.containsAll(tool.labels())) {
      return facts;
    }
    Set<String> all = new LinkedHashSet<>(facts);
    all.addAll(tool.labels());
    return Set.copyOf(all);
  }

  public Map<String, ToolFacts> tools() {
    return facts;
  }

  /** Built-in and declared labels. */
  public Set<String> labels() {
    return labels;
  }

  public Budgets budgets() {
    return budgets;
  }

  /** Warnings found at load (unused roles, shadowed grants, ...). */
  public List<Problem> warnings() {
    return warnings;
  }

  /** The argument validator configured with this policy's limits and per-tool opt-outs. */
  public ArgumentValidator argumentValidator() {
    return validator;
  }

  /** The approval settings of a {@code require_approval} grant or rule. */
  public Optional<ApprovalSpec> approval(String ruleId) {
    return Optional.ofNullable(entriesById.get(ruleId)).map(e -> e.approval);
  }

  /**
   * Checks the policy against the upstreams' catalogs, once they are fetched: {@code tools:} entries naming tools no
   * upstream offers are errors; grant patterns that match no tool are warnings.
   */
  public List<Problem> checkCatalog(Collection<Tool> catalog) {
    return CatalogCheck.run(catalog, facts, toolMarks, graph, rules);
  }

  // ---- identity ----

  /**
   * The agent a presented API key belongs to, with {@code credentialId} set to the key id. Constant-time in the hash
   * comparison; an unknown key id costs the same hash computation as a known one.
   */
  public Optional<Agent> authenticate(String presentedApiKey) {
    Optional<String> keyId = ApiKeys.keyId(presentedApiKey);
    AgentsCompiler.KeyEntry entry = keyId.map(keys::get).orElse(null);
    if (entry == null) {
      DECOY.matches(presentedApiKey == null ? "" : presentedApiKey);
      return Optional.empty();
    }
    return entry.key().matches(presentedApiKey) ? Optional.of(keyAgents.get(keyId.get())) : Optional.empty();
  }

  /** The declared agent {@code id} acting through credential {@code credentialId} (a token id, say). */
  public Optional<Agent> agent(String id, String credentialId) {
    return Optional.ofNullable(agents.get(id)).map(spec -> toAgent(spec, credentialId));
  }

  /** The agent whose {@code oidc} is {@code {issuer, subject}} (matched on {@code sub}), with nothing from claims. */
  public Optional<Agent> agentForOidc(String issuer, String subject, String credentialId) {
    return agentForOidc(issuer, Map.of("sub", subject), credentialId) instanceof OidcMatch.Mapped m
        ? Optional.of(m.agent()) : Optional.empty();
  }

  /**
   * The agent a validated access token from {@code issuer} acts as, by each agent's {@code oidc}: its subject claim
   * picks the agent, its roles claim may add the roles the agent's {@code roles_from_claim} allows, and mapped claims
   * become attributes. {@code claims} is the token's claim set as JSON values (nested maps and lists).
   */
  public OidcMatch agentForOidc(String issuer, Map<String, ?> claims, String credentialId) {
    return oidc.map(issuer, claims, credentialId);
  }

  /**
   * A sub-agent delegated by {@code rootId} as its token describes it, decided under the policy as it is now: roles
   * are those of the token that the root agent can still hold (its own, or ones its {@code roles_from_claim} lets a
   * token add), with what they extend; attributes are the root's, plus the claim-mapped ones the token carried.
   * Empty when the root agent is no longer defined.
   */
  public Optional<Agent> subAgent(String rootId, String subAgentId, Collection<String> roles,
      Map<String, Object> attributes, List<String> actorChain, String credentialId) {
    AgentSpec spec = agents.get(rootId);
    if (spec == null) {
      return Optional.empty();
    }
    Set<String> ceiling = oidc.ceiling(spec);
    List<String> held = roles.stream().filter(ceiling::contains).toList();
    LinkedHashSet<String> effective = graph.closure(held);
    effective.retainAll(ceiling);
    Map<String, Object> attrs = spec.attributes();
    if (spec.oidc().isPresent() && !spec.oidc().get().attributes().isEmpty()) {
      Map<String, Object> merged = new HashMap<>(attrs);
      spec.oidc().get().attributes().keySet().forEach(name -> {
        Object value = attributes.get(name);
        if (value != null) {
          merged.put(name, CelValues.attributeValue(value));
        }
      });
      attrs = merged;
    }
    return Optional.of(new Agent(subAgentId, spec.version(), effective, attrs, actorChain, credentialId));
  }

  /**
   * A sub-agent of {@code parent} holding only {@code roles} (and what they extend). Refuses any role the parent does
   * not hold, so delegation can only narrow. The parent joins the sub-agent's actor chain.
   */
  public Agent attenuate(Agent parent, Collection<String> roles, String credentialId) {
    for (String role : roles) {
      if (!parent.roles().contains(role)) {
        throw new IllegalArgumentException("agent '" + parent.id() + "' cannot delegate role '" + role
            + "': it holds only " + String.join(", ", parent.roles().stream().sorted().toList()));
      }
    }
    LinkedHashSet<String> effective = graph.closure(roles);
    effective.retainAll(parent.roles());
    List<String> chain = new java.util.ArrayList<>(parent.actorChain());
    chain.add(parent.id());
    return new Agent(parent.id(), parent.version(), effective, parent.attributes(), chain, credentialId);
  }

  // ---- decisions ----

  /** Whether {@code tools/list} shows {@code tool} to {@code agent} (conditions and tightening are not evaluated). */
  public boolean visible(Agent agent, Tool tool) {
    return engine.visible(agent, Entry.Target.TOOL, tool.name(), tool.labels());
  }

  public boolean visiblePrompt(Agent agent, String name) {
    return engine.visible(agent, Entry.Target.PROMPT, name, Set.of());
  }

  public boolean visibleResource(Agent agent, String uri) {
    return engine.visible(agent, Entry.Target.RESOURCE, uri, Set.of());
  }

  /** Decides a {@code tools/call}. Arguments should already have passed {@link #argumentValidator()}. */
  public Decision decide(Call call, Tool tool) {
    return engine.decide(Entry.Target.TOOL, call, tool.name(), tool);
  }

  /** Decides a {@code prompts/get} of {@code call.target()}; {@code args} are the prompt's arguments. */
  public Decision decidePrompt(Call call) {
    return engine.decide(Entry.Target.PROMPT, call, call.target(), null);
  }

  /** Decides a {@code resources/read} of the URI {@code call.target()}. */
  public Decision decideResource(Call call) {
    return engine.decide(Entry.Target.RESOURCE, call, call.target(), null);
  }

  // ---- package-private views for summaries, diffs and tests ----

  Engine engine() {
    return engine;
  }

  /** The most roles {@code agent} can hold: its own and those its access tokens may add. */
  Set<String> oidcCeiling(AgentSpec agent) {
    return oidc.ceiling(agent);
  }

  RoleGraph graph() {
    return graph;
  }

  List<Entry> rules() {
    return rules;
  }

  @Override
  public String toString() {
    return "Policy[" + version().substring(0, 12) + ", " + agents.size() + " agents, " + graph.names().size()
        + " roles, " + rules.size() + " rules]";
  }
}
