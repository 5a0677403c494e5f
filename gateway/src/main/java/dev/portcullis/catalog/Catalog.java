package dev.portcullis.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.model.Tool;
import dev.portcullis.verifier.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one catalog of tools, prompts and resources that all upstreams offer, under unambiguous names. Tools and prompts
 * get their upstream's prefix; resource URIs are kept and routed to the upstream that listed them. A name that two
 * upstreams claim is an error, never a silent shadow. Lists are answered from here in a deterministic order.
 */
public final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final Map<String, CatalogSource> sources = new LinkedHashMap<>();
  private final Function<String, Set<String>> labels;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  /** Everything the catalog holds at one moment; replaced as a whole on refresh. */
  private record Snapshot(
      Map<String, Map<String, Tool>> toolsByUpstream,
      Map<String, Map<String, Entry>> promptsByUpstream,
      Map<String, Map<String, Entry>> resourcesByUpstream,
      Map<String, Map<String, Entry>> templatesByUpstream,
      Map<String, Tool> tools,
      Map<String, Entry> prompts,
      Map<String, Entry> resources,
      List<Template> templates) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of());
  }

  private record Template(Entry entry, Pattern pattern) {}

  /**
   * @param labels the labels the policy file gives a tool, by catalog name (flow rules read them)
   */
  public Catalog(Collection<? extends CatalogSource> sources, Function<String, Set<String>> labels) {
    sources.forEach(s -> this.sources.put(s.name(), s));
    this.labels = labels;
  }

  /** Fetches every upstream's lists; fails on a name collision (a start-up error). */
  public void load() throws CatalogException {
    Snapshot next = snapshot;
    for (CatalogSource source : sources.values()) {
      next = with(next, source, fetchTools(source), fetch(source, "prompts", "prompts/list", "prompts", true),
          fetch(source, "resources", "resources/list", "resources", false),
          fetch(source, "resources", "resources/templates/list", "resourceTemplates", false));
    }
    snapshot = next;
  }

  /** Refetches one upstream's lists after it said they changed, and tells listeners. A collision keeps the old lists. */
  public void refresh(String upstream, Change.Kind kind) {
    CatalogSource source = sources.get(upstream);
    if (source == null) {
      return;
    }
    try {
      Snapshot current = snapshot;
      Map<String, Tool> tools = kind == Change.Kind.TOOLS ? fetchTools(source) : current.toolsByUpstream().getOrDefault(upstream, Map.of());
      Map<String, Entry> prompts = kind == Change.Kind.PROMPTS ? fetch(source, "prompts", "prompts/list", "prompts", true)
          : current.promptsByUpstream().getOrDefault(upstream, Map.of());
      Map<String, Entry> resources = kind == Change.Kind.RESOURCES ? fetch(source, "resources", "resources/list", "resources", false)
          : current.resourcesByUpstream().getOrDefault(upstream, Map.of());
      Map<String, Entry> templates = kind == Change.Kind.RESOURCES
          ? fetch(source, "resources", "resources/templates/list", "resourceTemplates", false)
          : current.templatesByUpstream().getOrDefault(upstream, Map.of());
      synchronized (this) {
        snapshot = with(snapshot, source, tools, prompts, resources, templates);
      }
      notifyListeners(Change.of(kind));
    } catch (Exception e) {
      LOG.error("upstream {}: refreshing its {} failed, keeping the previous list: {}", upstream, kind, e.getMessage());
    }
  }

  /** Passes on a resource update from an upstream. */
  public void resourceUpdated(String uri) {
    notifyListeners(Change.updated(uri));
  }

  public void addListener(Consumer<Change> listener) {
    listeners.add(listener);
  }

  public Optional<Tool> tool(String name) {
    return Optional.ofNullable(snapshot.tools().get(name));
  }

  /** All tools, sorted by name. */
  public Collection<Tool> tools() {
    return snapshot.tools().values();
  }

  public Optional<Entry> prompt(String name) {
    return Optional.ofNullable(snapshot.prompts().get(name));
  }

  public Collection<Entry> prompts() {
    return snapshot.prompts().values();
  }

  public Collection<Entry> resources() {
    return snapshot.resources().values();
  }

  public List<Entry> templates() {
    return snapshot.templates().stream().map(Template::entry).toList();
  }

  /** The upstream serving a resource URI: one that listed it, else the first template that matches it. */
  public Optional<String> upstreamForResource(String uri) {
    Snapshot s = snapshot;
    Entry listed = s.resources().get(uri);
    if (listed != null) {
      return Optional.of(listed.upstream());
    }
    for (Template t : s.templates()) {
      if (t.pattern().matcher(uri).matches()) {
        return Optional.of(t.entry().upstream());
      }
    }
    return sources.size() == 1 ? sources.keySet().stream().findFirst() : Optional.empty();
  }

  private void notifyListeners(Change change) {
    for (Consumer<Change> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("catalog listener failed on {}: {}", change, e.toString());
      }
    }
  }

  private Map<String, Tool> fetchTools(CatalogSource source) throws CatalogException {
    Map<String, Tool> tools = new LinkedHashMap<>();
    if (!source.offers("tools")) {
      return tools;
    }
    for (ObjectNode definition : list(source, "tools/list", "tools")) {
      String original = definition.path("name").asText("");
      String name = source.prefix() + sanitize(original);
      if (!VALID_NAME.matcher(name).matches()) {
        throw new CatalogException("upstream " + source.name() + " lists tool '" + original + "' whose catalog name '" + name
            + "' is not a valid MCP tool name (1-128 of A-Z a-z 0-9 _ . -); shorten the upstream's prefix");
      }
      if (tools.containsKey(name)) {
        throw new CatalogException("upstream " + source.name() + " lists two tools named '" + original + "'");
      }
      tools.put(name, new Tool(name, source.name(), original, definition, labels.apply(name), hash(definition)));
    }
    return tools;
  }

  private Map<String, Entry> fetch(CatalogSource source, String capability, String method, String field, boolean prefixed)
      throws CatalogException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (!source.offers(capability)) {
      return entries;
    }
    String key = prefixed ? "name" : "resourceTemplates".equals(field) ? "uriTemplate" : "uri";
    for (ObjectNode definition : list(source, method, field)) {
      String original = definition.path(key).asText("");
      String name = prefixed ? source.prefix() + sanitize(original) : original;
      entries.put(name, new Entry(name, source.name(), original, definition));
    }
    return entries;
  }

  private static List<ObjectNode> list(CatalogSource source, String method, String field) throws CatalogException {
    try {
      return source.list(method, field);
    } catch (CatalogException e) {
      throw e;
    } catch (Exception e) {
      throw new CatalogException("upstream " + source.name() + ": " + method + " failed: " + e.getMessage());
    }
  }

  private static Snapshot with(Snapshot base, CatalogSource source, Map<String, Tool> tools, Map<String, Entry> prompts,
      Map<String, Entry> resources, Map<String, Entry> templates) throws CatalogException {
    String upstream = source.name();
    var toolsBy = replace(base.toolsByUpstream(), upstream, tools);
    var promptsBy = replace(base.promptsByUpstream(), upstream, prompts);
    var resourcesBy = replace(base.resourcesByUpstream(), upstream, resources);
    var templatesBy = replace(base.templatesByUpstream(), upstream, templates);
    List<Template> allTemplates = new ArrayList<>();
    templatesBy.values().forEach(m -> m.values().forEach(e -> allTemplates.add(new Template(e, templatePattern(e.name())))));
    return new Snapshot(toolsBy, promptsBy, resourcesBy, templatesBy, merge(toolsBy, "tool"), merge(promptsBy, "prompt"),
        merge(resourcesBy, "resource"), List.copyOf(allTemplates));
  }

  private static <V> Map<String, Map<String, V>> replace(Map<String, Map<String, V>> base, String upstream, Map<String, V> items) {
    Map<String, Map<String, V>> copy = new LinkedHashMap<>(base);
    copy.put(upstream, Map.copyOf(items));
    return copy;
  }

  private static <V> Map<String, V> merge(Map<String, Map<String, V>> byUpstream, String what) throws CatalogException {
    Map<String, String> owner = new java.util.HashMap<>();
    java.util.TreeMap<String, V> merged = new java.util.TreeMap<>(Comparator.naturalOrder());
    for (var upstream : byUpstream.entrySet()) {
      for (var item : upstream.getValue().entrySet()) {
        String previous = owner.putIfAbsent(item.getKey(), upstream.getKey());
        if (previous != null) {
          String fix = "resource".equals(what)
              ? "resource URIs keep the upstream's own names (no prefix), so one URI cannot come from two upstreams; remove one of them"
              : "give one of them a distinct 'prefix' in the policy file";
          throw new CatalogException(what + " name '" + item.getKey() + "' is offered by both upstream " + previous + " and upstream "
              + upstream.getKey() + "; " + fix);
        }
        merged.put(item.getKey(), item.getValue());
      }
    }
    return java.util.Collections.unmodifiableMap(merged);
  }

  private static String sanitize(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  /** RFC 6570 level-1 templates: each {@code {var}} matches one path segment's worth of characters. */
  static Pattern templatePattern(String template) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        regex.append(Pattern.quote(template.substring(i)));
        break;
      }
      regex.append(Pattern.quote(template.substring(i, open)));
      int close = template.indexOf('}', open);
      if (close < 0) {
        regex.append(Pattern.quote(template.substring(open)));
        break;
      }
      regex.append("[^/?#]+");
      i = close + 1;
    }
    return Pattern.compile(regex.toString());
  }

  /**
   * Hex SHA-256 of the definition's canonical form (RFC 8785, the verifier's {@link CanonicalJson}): member order,
   * whitespace and number spelling ({@code 10}, {@code 10.0}, {@code 1e1}) do not change it; any change of content
   * does.
   */
  static String hash(ObjectNode definition) {
    String canonical = CanonicalJson.canonicalize(dev.portcullis.json.Json.MAPPER.convertValue(definition, Map.class));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
