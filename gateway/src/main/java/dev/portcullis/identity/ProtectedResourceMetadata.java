package dev.portcullis.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * This gateway's OAuth 2.0 Protected Resource Metadata (RFC 9728), which MCP clients fetch to learn which
 * authorization servers issue tokens for it, and the {@code WWW-Authenticate} challenges that point them there.
 *
 * @param resource the gateway's resource URI, the {@code aud} agents' tokens must carry (e.g.
 *     {@code https://portcullis.example/mcp})
 * @param authorizationServers issuer URLs of the trusted IdPs (and the gateway itself, for token exchange)
 * @param scopesSupported scopes clients may request; may be empty
 * @param resourceName a human-readable name, if any
 */
public record ProtectedResourceMetadata(
    String resource,
    List<String> authorizationServers,
    List<String> scopesSupported,
    Optional<String> resourceName) {
  /** The well-known suffix of RFC 9728 section 3. */
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  public ProtectedResourceMetadata {
    Objects.requireNonNull(resource, "resource");
    URI uri = URI.create(resource);
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("resource " + resource + " must be an absolute http(s) URI without a"
          + " fragment (RFC 8707 2), e.g. https://portcullis.example/mcp");
    }
    authorizationServers = List.copyOf(authorizationServers);
    scopesSupported = List.copyOf(scopesSupported);
    resourceName = Objects.requireNonNullElse(resourceName, Optional.<String>empty());
  }

  /**
   * The path to serve the metadata at: the well-known suffix inserted before the resource's path, e.g.
   * {@code /.well-known/oauth-protected-resource/mcp} for {@code https://gw.example/mcp}.
   */
  public String wellKnownPath() {
    String path = URI.create(resource).getRawPath();
    path = path == null ? "" : path.replaceAll("/+$", "");
    return WELL_KNOWN + path;
  }

  /** The absolute URL of the metadata document, as named in {@code resource_metadata}. */
  public String metadataUrl() {
    URI uri = URI.create(resource);
    return uri.getScheme() + "://" + uri.getRawAuthority() + wellKnownPath();
  }

  /** The metadata document ({@code application/json}). */
  public String json() {
    ObjectNode doc = Json.object();
    doc.put("resource", resource);
    ArrayNode servers = doc.putArray("authorization_servers");
    authorizationServers.forEach(servers::add);
    ArrayNode methods = doc.putArray("bearer_methods_supported");
    methods.add("header"); // bearer tokens only in the Authorization header, as MCP requires
    if (!scopesSupported.isEmpty()) {
      ArrayNode scopes = doc.putArray("scopes_supported");
      scopesSupported.forEach(scopes::add);
    }
    resourceName.ifPresent(name -> doc.put("resource_name", name));
    return Json.write(doc);
  }

  /** The {@code WWW-Authenticate} value for a refused request: 401 with {@code invalid_token}, 403 with scope. */
  public String challenge(AuthResult.Rejected rejected) {
    if (rejected.reason() == AuthResult.Reason.INSUFFICIENT_SCOPE) {
      return challenge("insufficient_scope", rejected.message(), scopesSupported);
    }
    return challenge(rejected.error(), rejected.message(), List.of());
  }

  /**
   * A {@code Bearer} challenge naming this metadata, with an optional error code, description and scope list.
   * Description characters outside what RFC 6750 allows in a quoted string are replaced.
   */
  public String challenge(String error, String description, List<String> scopes) {
    StringBuilder value = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl()).append('"');
    if (error != null) {
      value.append(", error=\"").append(error).append('"');
      if (description != null && !description.isBlank()) {
        value.append(", error_description=\"").append(sanitize(description)).append('"');
      }
    }
    if (scopes != null && !scopes.isEmpty()) {
      value.append(", scope=\"").append(sanitize(String.join(" ", scopes))).append('"');
    }
    return value.toString();
  }

  /** RFC 6750 3: error_description is %x20-21 / %x23-5B / %x5D-7E, so no quote, no backslash, ASCII only. */
  static String sanitize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c == '"' ? '\'' : c == '\\' ? '/' : c < 0x20 || c > 0x7E ? '?' : c);
    }
    return out.toString();
  }
}
