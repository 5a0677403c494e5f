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

  /** A stored key and the agent it belongs to. */
  record KeyEntry(String agentId, ApiKeys.StoredKey key) {}

  private final Problems problems;
  private final RoleGraph graph;
  private final Map<String, KeyEntry> keys = new HashMap<>();
  private final Map<String, Mark> keyMarks = new HashMap<>();
  private final Map<AgentSpec.Oidc, String> oidc = new HashMap<>();

  AgentsCompiler(Problems problems, RoleGraph graph) {
    this.problems = problems;
    this.graph = graph;
  }

  Map<String, KeyEntry> keys() {
    return Map.copyOf(keys);
  }

  Map<AgentSpec.Oidc, String> oidc() {
    return Map.copyOf(oidc);
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
    f.entries("attributes").forEach((k, entry) -> attributes.put(k, CelValues.of(entry.value())));
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
    Optional<AgentSpec.Oidc> identity = f.get("oidc").flatMap(n -> oidc(n, id));
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

  private Optional<AgentSpec.Oidc> oidc(Node node, String agentId) {
    Fields f = Fields.of(node, "oidc of agent '" + agentId + "'", problems, Set.of("issuer", "subject"));
    Optional<String> issuer = f.string("issuer");
    Optional<String> subject = f.string("subject");
    if (issuer.isEmpty() || subject.isEmpty()) {
      problems.error(f.mark(), "oidc of agent '" + agentId + "' needs 'issuer' and 'subject'",
          "for example oidc: {issuer: https://login.example.com, subject: ops-bot}");
      return Optional.empty();
    }
    AgentSpec.Oidc identity = new AgentSpec.Oidc(issuer.get(), subject.get());
    String previous = oidc.putIfAbsent(identity, agentId);
    if (previous != null) {
      problems.error(f.mark(), "oidc identity " + issuer.get() + " / " + subject.get() + " is mapped to agents '"
          + previous + "' and '" + agentId + "'", "one token subject can act as one agent only");
      return Optional.empty();
    }
    return Optional.of(identity);
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
