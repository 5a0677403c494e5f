package dev.portcullis.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Set;

/**
 * A catalog entry: one upstream tool as agents see it through Portcullis.
 *
 * @param name the name agents use, {@code <upstream>.<tool>} (unique across the catalog)
 * @param upstream the upstream's name in the policy file
 * @param upstreamName the tool's name on its upstream
 * @param definition the tool definition exactly as the upstream listed it (name not rewritten)
 * @param labels labels from the policy file's {@code tools} section (flow rules refer to them)
 * @param definitionHash SHA-256 of the canonical definition, to notice definitions changing under us
 */
public record Tool(
    String name,
    String upstream,
    String upstreamName,
    ObjectNode definition,
    Set<String> labels,
    String definitionHash) {
  public Tool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(upstreamName, "upstreamName");
    Objects.requireNonNull(definition, "definition");
    labels = Set.copyOf(labels);
  }

  /** The tool's {@code inputSchema}, or an empty object schema when the upstream gave none. */
  public JsonNode inputSchema() {
    JsonNode schema = definition.get("inputSchema");
    return schema == null ? definition.objectNode().put("type", "object") : schema;
  }

  /** An annotation such as {@code readOnlyHint}, false when absent. */
  public boolean hint(String annotation) {
    JsonNode annotations = definition.get("annotations");
    return annotations != null && annotations.path(annotation).asBoolean(false);
  }
}
