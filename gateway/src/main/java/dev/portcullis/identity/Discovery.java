package dev.portcullis.identity;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds an issuer's JWKS URL from its metadata, trying the locations the MCP authorization spec lists: RFC 8414
 * authorization server metadata and OpenID Connect discovery, path inserted after the host, then OIDC path appended.
 * The metadata's {@code issuer} must equal the configured issuer exactly (RFC 8414 3.3), or tokens could be accepted
 * from an impostor.
 */
final class Discovery {
  static final int MAX_METADATA_BYTES = 64 * 1024;

  private Discovery() {}

  static List<URI> metadataUrls(String issuer) {
    URI uri = URI.create(issuer);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    List<URI> urls = new ArrayList<>();
    if (path.isEmpty()) {
      urls.add(URI.create(origin + "/.well-known/oauth-authorization-server"));
      urls.add(URI.create(origin + "/.well-known/openid-configuration"));
    } else {
      urls.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
      urls.add(URI.create(origin + "/.well-known/openid-configuration" + path));
      urls.add(URI.create(origin + path + "/.well-known/openid-configuration"));
    }
    return urls;
  }

  /**
   * The {@code jwks_uri} of {@code issuer}.
   *
   * @throws IllegalStateException naming each location tried and why it failed
   */
  static URI jwksUri(String issuer, HttpClient http) {
    List<String> failures = new ArrayList<>();
    for (URI url : metadataUrls(issuer)) {
      try {
        Map<String, Object> metadata = fetch(url, http);
        String advertised = JSONObjectUtils.getString(metadata, "issuer");
        if (!issuer.equals(advertised)) {
          throw new IllegalStateException("the metadata at " + url + " names issuer " + advertised + ", not " + issuer
              + "; configure the issuer exactly as the IdP spells it in its tokens");
        }
        URI jwks = JSONObjectUtils.getURI(metadata, "jwks_uri");
        if (jwks == null) {
          throw new IllegalStateException("the metadata at " + url + " has no jwks_uri; configure jwksUri directly");
        }
        return jwks;
      } catch (IOException | ParseException e) {
        failures.add(url + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while discovering " + issuer, e);
      }
    }
    throw new IllegalStateException("no authorization server metadata found for issuer " + issuer + " (tried "
        + String.join("; ", failures) + "); check the issuer URL or configure jwksUri directly");
  }

  private static Map<String, Object> fetch(URI url, HttpClient http)
      throws IOException, InterruptedException, ParseException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json").GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_METADATA_BYTES + 1);
      if (bytes.length > MAX_METADATA_BYTES) {
        throw new IOException("metadata larger than " + MAX_METADATA_BYTES + " bytes");
      }
      return JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
