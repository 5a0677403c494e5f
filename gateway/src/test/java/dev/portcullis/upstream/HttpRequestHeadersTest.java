package dev.portcullis.upstream;

import static dev.portcullis.upstream.Fixtures.callParams;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.SecretRef;
import dev.portcullis.config.UpstreamConfig.Value;
import dev.portcullis.config.UpstreamConfig.Wire;
import dev.portcullis.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every header of a forwarded tool call, in the order sent: what an upstream (or a proxy in front of it) sees. */
@Timeout(60)
class HttpRequestHeadersTest {
  private final ModernHttpFixture server = new ModernHttpFixture();
  private Upstream upstream;

  HttpRequestHeadersTest() throws Exception {}

  @AfterEach
  void stop() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
    server.close();
  }

  private List<String> toolCallHeaders(Map<String, Value> headers, Optional<SecretRef> bearer) throws Exception {
    upstream = Upstream.of(Fixtures.http("modern", server.url(), Wire.AUTO, Duration.ofSeconds(10), headers, bearer));
    upstream.start();
    upstream.listAll("tools/list", "tools"); // learns tool c's x-mcp-header annotation
    var arguments = Json.object().put("region", "eu-west").put("text", "hi");
    upstream.request("tools/call", callParams("c", arguments), CallContext.defaults().withCredential(() -> "tok-1"));
    HttpFields sent = server.seenHeaders.stream().filter(h -> "tools/call".equals(h.get("Mcp-Method")))
        .reduce((a, b) -> b).orElseThrow();
    List<String> lines = new ArrayList<>();
    sent.forEach(f -> lines.add(f.getName() + ": " + f.getValue()));
    return lines;
  }

  private String host() {
    return "Host: " + server.url().getAuthority();
  }

  @Test
  void sendsTheCallTokenAsBearerBesideConfiguredHeaders() throws Exception {
    // a configured Accept is replaced where it stands: the transport needs both kinds of answer
    Map<String, Value> headers = Map.of("Accept", new Value.Literal("text/plain"));

    assertThat(toolCallHeaders(headers, Optional.empty())).containsExactly(
        "Accept-Encoding: gzip",
        "User-Agent: Portcullis",
        "Accept: application/json, text/event-stream",
        "Authorization: Bearer tok-1",
        "MCP-Protocol-Version: 2026-07-28",
        "Mcp-Method: tools/call",
        "Mcp-Name: c",
        "Mcp-Param-Region: eu-west",
        host(),
        "Content-Type: application/json",
        "Content-Length: " + contentLength());
  }

  @Test
  void sendsTheCallTokenInItsOwnHeaderWhenAuthorizationHoldsTheUpstreamsSecret(@TempDir Path dir)
      throws Exception {
    Path secret = Files.writeString(dir.resolve("token"), "upstream-secret\n");

    Map<String, Value> headers = Map.of("X-Api-Key", new Value.Literal("k1"));

    assertThat(toolCallHeaders(headers, Optional.of(new SecretRef.File(secret)))).containsExactly(
        "Accept-Encoding: gzip",
        "User-Agent: Portcullis",
        "X-Api-Key: k1",
        "Authorization: Bearer upstream-secret",
        "Accept: application/json, text/event-stream",
        "X-Portcullis-Call-Token: tok-1",
        "MCP-Protocol-Version: 2026-07-28",
        "Mcp-Method: tools/call",
        "Mcp-Name: c",
        "Mcp-Param-Region: eu-west",
        host(),
        "Content-Type: application/json",
        "Content-Length: " + contentLength());
  }

  /** The body's length as sent, from the last tools/call the server saw. */
  private String contentLength() {
    return server.seenHeaders.stream().filter(h -> "tools/call".equals(h.get("Mcp-Method"))).reduce((a, b) -> b)
        .orElseThrow().get(HttpHeader.CONTENT_LENGTH);
  }
}
