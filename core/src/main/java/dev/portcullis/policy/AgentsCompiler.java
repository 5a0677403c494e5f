package dev.portcullis.policy;

import dev.portcullis.config.Fields;
import dev.portcullis.config.Hints;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.keys.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Compiles the {@code agents} section: roles, API keys (hashes only), attributes, version, mode, OIDC mapping. */
final class AgentsCompiler {
  static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}");
  private static final Set<String> AGENT_KEYS = Set.of("description", "roles", "keys", "attributes", "version", "mode",
      "oidc");
  private static final Set<String> OIDC_KEYS = Set.of("issuer", "subject", "subject_claim", "roles_claim",
      "roles_from_claim", "attributes");
  private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  /** A stored key and the agent it belongs to. */
  record KeyEntry(String agentId, ApiKeys.StoredKey key) {}

  private final Problems problems;
  private final RoleGraph graph;
  private final Map<String, KeyEntry> keys = new HashMap<>();
  private final Map<String, Mark> keyMarks = new HashMap<>();
  private final Map<OidcKey, String> oidc = new HashMap<>();

  /** What makes an OIDC identity unique: a token matching it must name one agent. */
  private record OidcKey(String issuer, String subjectClaim, String subject) {}

  AgentsCompiler(Problems problems, RoleGraph graph) {
    this.problems = problems;
    this.graph = graph;
  }

  Map<String, KeyEntry> keys() {
    return Map.copyOf(keys);
  }

  Map<String, AgentSpec> agents(Optional<Node> section) {
    Map<String, AgentSpec> out = new LinkedHashMap<>();
    if (section.isEmpty()) {
      return out;
    }
    for (Node.Entry e : Fields.mapping(section.get(), "agents", problems).entries()) {
      if (!AGENT_ID.matcher(e.key()).matches()) {
        problems.error(e.keyMark(), "agent id '" + e.key() + "' is not allowed", "use letters, digits and _ . @ -");
        continue;
      }
      agent(e).ifPresent(a -> out.put(a.id(), a));
    }
    return out;
  }

  private Optional<AgentSpec> agent(Node.Entry e) {
    String id = e.key();
    String ctx = "agent '" + id + "'";
    Fields f = Fields.of(e.value(), ctx, problems, AGENT_KEYS);
    List<String> roles = f.strings("roles");
    for (String role : roles) {
      if (!graph.names().contains(role)) {
        problems.error(f.keyMark("roles"), ctx + " holds role '" + role + "', which is not defined",
            "role '" + role + "' is not defined; " + Hints.didYouMean(role, graph.names(), "roles"));
      }
    }
    List<String> keyIds = new ArrayList<>();
    f.get("keys").ifPresent(n -> {
      if (n instanceof Node.SeqNode seq) {
        seq.items().forEach(item -> key(item, id).ifPresent(keyIds::add));
      } else {
        problems.error(n.mark(), "keys of " + ctx + " must be a list of {id, hash}, found " + n.describe(),
            "create one with: bin/portcullis keys create " + id);
      }
    });
    Map<String, Object> attributes = new LinkedHashMap<>();
    f.entries("attributes").forEach((k, entry) -> {
      // Kept as JSON-shaped values (a null inside a list stays null in audit entries and sub-agent tokens); conditions
      // read them as CEL values.
      Object value = CelValues.attributeValue(CelValues.of(entry.value()));
      if (value == null) {
        problems.error(entry.keyMark(), ctx + ": attribute '" + k + "' has no value",
            "give it a value, or leave it out: a condition reading a missing attribute denies the call");
      } else {
        attributes.put(k, value);
      }
    });
    AgentSpec.Mode mode = f.string("mode").map(m -> switch (m) {
      case "observe" -> AgentSpec.Mode.OBSERVE;
      case "suggest" -> AgentSpec.Mode.SUGGEST;
      case "enforce" -> AgentSpec.Mode.ENFORCE;
      default -> {
        problems.error(f.get("mode").get().mark(), ctx + ": mode '" + m + "' is not known",
            "use observe (log only), suggest (log and tell the agent) or enforce");
        yield AgentSpec.Mode.ENFORCE;
      }
    }).orElse(AgentSpec.Mode.ENFORCE);
    Optional<AgentSpec.Oidc> identity = f.get("oidc").flatMap(n -> oidc(n, id, graph.closure(roles), attributes));
    if (keyIds.isEmpty() && identity.isEmpty() && !f.has("keys")) {
      problems.warning(f.mark(), ctx + " has no API key and no oidc identity, so it cannot authenticate",
          "create a key with: bin/portcullis keys create " + id);
    }
    String version = f.string("version").orElseGet(() -> hash(e.value().toJson().toString()));
    return Optional.of(new AgentSpec(id, f.string("description", ""), roles, graph.closure(roles), keyIds, attributes,
        version, mode, identity, e.keyMark()));
  }

  private Optional<String> key(Node node, String agentId) {
    String ctx = "a key of agent '" + agentId + "'";
    Fields f = Fields.of(node, ctx, problems, Set.of("id", "hash", "description"));
    Optional<String> id = f.string("id");
    Optional<String> hash = f.string("hash");
    if (id.isEmpty() || hash.isEmpty()) {
      problems.error(f.mark(), ctx + " needs 'id' and 'hash'",
          "create one with: bin/portcullis keys create " + agentId + " (it prints the line to paste)");
      return Optional.empty();
    }
    Mark at = f.keyMark("hash");
    if (!ApiKeys.KEY_ID.matcher(id.get()).matches()) {
      problems.error(f.keyMark("id"), ctx + ": key id '" + id.get() + "' must be lower-case letters and digits", "");
      return Optional.empty();
    }
    if (hash.get().startsWith(ApiKeys.PREFIX)) {
      problems.error(at, "key '" + id.get() + "' of agent '" + agentId + "' holds a plaintext key, not a hash",
          "never store plaintext keys; replace the value with the hash printed by: bin/portcullis keys create "
              + agentId);
      return Optional.empty();
    }
    try {
      ApiKeys.StoredKey stored = ApiKeys.parseStored(id.get(), hash.get());
      Mark previous = keyMarks.putIfAbsent(id.get(), f.keyMark("id"));
      if (previous != null) {
        problems.error(f.keyMark("id"), "key id '" + id.get() + "' is used twice (also at " + previous + ")",
            "key ids identify a credential across all agents; create a new key instead of copying one");
        return Optional.empty();
      }
      keys.put(id.get(), new KeyEntry(agentId, stored));
      return id;
    } catch (IllegalArgumentException e) {
      problems.error(at, "key '" + id.get() + "' of agent '" + agentId + "': " + e.getMessage(),
          "paste the hash exactly as bin/portcullis keys create printed it");
      return Optional.empty();
    }
  }

  private Optional<AgentSpec.Oidc> oidc(Node node, String agentId, Set<String> held, Map<String, Object> fixed) {
    String ctx = "oidc of agent '" + agentId + "'";
    Fields f = Fields.of(node, ctx, problems, OIDC_KEYS);
    Optional<String> issuer = f.string("issuer");
    Optional<String> subject = f.string("subject");
    if (issuer.isEmpty() || subject.isEmpty()) {
      problems.error(f.mark(), ctx + " needs 'issuer' and 'subject'",
          "for example oidc: {issuer: https://login.example.com, subject: ops-bot}");
      return Optional.empty();
    }
    ClaimPath subjectClaim = claimPath(f, "subject_claim", ctx).orElse(AgentSpec.Oidc.SUB);
    Optional<ClaimPath> rolesClaim = claimPath(f, "roles_claim", ctx);
    List<String> rolesFromClaim = rolesFromClaim(f, ctx, held);
    if (f.has("roles_claim") != f.has("roles_from_claim")) {
      Mark at = f.keyMark(f.has("roles_claim") ? "roles_claim" : "roles_from_claim");
      problems.error(at, ctx + " sets " + (f.has("roles_claim") ? "roles_claim but not roles_from_claim"
              : "roles_from_claim but not roles_claim"),
          "roles come from a token only through both: roles_claim names the claim (e.g. roles or"
              + " realm_access.roles), roles_from_claim lists the roles of this policy a token may add");
    }
    Map<String, ClaimPath> attributes = new LinkedHashMap<>();
    f.entries("attributes").forEach((name, entry) -> {
      if (!ATTRIBUTE.matcher(name).matches()) {
        problems.error(entry.keyMark(), ctx + ": attribute name '" + name + "' is not allowed",
            "use letters, digits and _, starting with a letter, so conditions can read agent.attributes." + "name");
      } else if (fixed.containsKey(name)) {
        problems.error(entry.keyMark(), ctx + " maps attribute '" + name + "' from a claim, but the agent's"
            + " attributes already set it", "keep one source for agent.attributes." + name
            + ": remove it from attributes or from oidc.attributes");
      } else {
        Fields.text(entry.value(), "attribute '" + name + "' of " + ctx, problems)
            .flatMap(text -> checkedPath(text, entry.value().mark(), "attribute '" + name + "' of " + ctx))
            .ifPresent(path -> attributes.put(name, path));
      }
    });
    AgentSpec.Oidc identity = new AgentSpec.Oidc(issuer.get(), subject.get(), subjectClaim, rolesClaim,
        rolesFromClaim, attributes);
    String previous = oidc.putIfAbsent(new OidcKey(issuer.get(), subjectClaim.text(), subject.get()), agentId);
    if (previous != null) {
      problems.error(f.mark(), "oidc identity " + issuer.get() + " / " + subjectClaim + " = " + subject.get()
          + " is mapped to agents '" + previous + "' and '" + agentId + "'", "one token can act as one agent only");
      return Optional.empty();
    }
    return Optional.of(identity);
  }

  private Optional<ClaimPath> claimPath(Fields f, String key, String ctx) {
    return f.string(key).flatMap(text -> checkedPath(text, f.get(key).orElseThrow().mark(), key + " of " + ctx));
  }

  private Optional<ClaimPath> checkedPath(String text, Mark at, String what) {
    Optional<String> problem = ClaimPath.problem(text);
    if (problem.isPresent()) {
      problems.error(at, what + ": " + problem.get(),
          "write a claim name such as azp, or a dotted path into nested claims such as realm_access.roles");
      return Optional.empty();
    }
    return Optional.of(new ClaimPath(text));
  }

  /** The roles a token may add: each must be defined; one the agent holds anyway is a warning. */
  private List<String> rolesFromClaim(Fields f, String ctx, Set<String> held) {
    List<String> out = new ArrayList<>();
    f.get("roles_from_claim").ifPresent(n -> {
      List<Node> items = n instanceof Node.SeqNode seq ? seq.items() : List.of(n);
      for (Node item : items) {
        Fields.text(item, "each entry of roles_from_claim of " + ctx, problems).ifPresent(role -> {
          if (!graph.names().contains(role)) {
            problems.error(item.mark(), ctx + " lets a token add role '" + role + "', which is not defined",
                "role '" + role + "' is not defined; " + Hints.didYouMean(role, graph.names(), "roles"));
          } else if (held.contains(role)) {
            problems.warning(item.mark(), ctx + " lets a token add role '" + role + "', which the agent holds"
                + " anyway", "remove it from roles_from_claim, or from roles if only tokens should grant it");
          } else if (!out.contains(role)) {
            out.add(role);
          }
        });
      }
    });
    return out;
  }

  static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
