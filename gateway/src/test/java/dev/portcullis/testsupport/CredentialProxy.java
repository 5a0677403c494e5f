package dev.portcullis.testsupport;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A loopback reverse proxy that adds an {@code Authorization} header to every request, for clients that cannot send
 * one (the MCP conformance suite), or that only records what passes ({@link #recording}), to see exactly what the
 * gateway sends an upstream. Everything else, {@code Host} and {@code Origin} included, passes through untouched,
 * and responses stream back as they arrive (SSE included).
 */
public final class CredentialProxy implements AutoCloseable {
  /** One request that passed the proxy, as it arrived. */
  public record Seen(String method, Map<String, String> headers, byte[] body) {
    /** A header by its lower-case name, or null. */
    public String header(String lowerCaseName) {
      return headers.get(lowerCaseName);
    }

    public String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
      "upgrade", "proxy-connection", "content-length");

  private final Server server = new Server();
  private final HttpClient client = new HttpClient();

  /** A proxy that passes requests on unchanged and keeps a copy of each ({@link #seen()}). */
  public static CredentialProxy recording(URI target) throws Exception {
    return new CredentialProxy(target, null);
  }

  /** Every request so far, oldest first. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public CredentialProxy(URI target, String bearer) throws Exception {
    client.setFollowRedirects(false);
    client.start();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) throws Exception {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
          body = in.readAllBytes();
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        request.getHeaders().forEach(f -> headers.merge(f.getLowerCaseName(), f.getValue(), (a, b) -> a + ", " + b));
        seen.add(new Seen(request.getMethod(), headers, body));
        URI uri = target.resolve(request.getHttpURI().getPathQuery());
        Request out = client.newRequest(uri).method(request.getMethod()).timeout(5, TimeUnit.MINUTES).idleTimeout(5, TimeUnit.MINUTES);
        out.headers(h -> {
          h.clear();
          for (HttpField field : request.getHeaders()) {
            if (!HOP_BY_HOP.contains(field.getLowerCaseName())) {
              h.add(field);
            }
          }
          if (bearer != null) {
            h.put(HttpHeader.AUTHORIZATION, "Bearer " + bearer);
          }
        });
        if (body.length > 0) {
          out.body(new BytesRequestContent(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        out.send(listener);
        org.eclipse.jetty.client.Response upstream = listener.get(5, TimeUnit.MINUTES);
        response.setStatus(upstream.getStatus());
        for (HttpField field : upstream.getHeaders()) {
          if (!HOP_BY_HOP.contains(field.getLowerCaseName())) {
            response.getHeaders().add(field);
          }
        }
        try (InputStream in = listener.getInputStream(); OutputStream os = Content.Sink.asOutputStream(response)) {
          byte[] buffer = new byte[8192];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            os.write(buffer, 0, n);
            os.flush();
          }
        }
        callback.succeeded();
        return true;
      }
    });
    server.start();
  }

  /** The proxy's URL for a path on the target. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
    client.stop();
  }
}
