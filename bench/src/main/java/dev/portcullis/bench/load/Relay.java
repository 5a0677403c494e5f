package dev.portcullis.bench.load;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floor of any HTTP-in, HTTP-out gateway built as Portcullis is: the same Jetty server (request handlers on
 * virtual threads) and the same Jetty client settings (keep-alive pools, listeners on the I/O thread), relaying each
 * POST body to one upstream URL and its answer back, with no authentication, policy, token or audit. The load table
 * runs it as {@code relay-2026} so that what Portcullis adds splits into what the two HTTP hops cost on this machine
 * and what Portcullis' own work costs.
 */
final class Relay implements AutoCloseable {
  /** Request headers not relayed: hop-by-hop ones and those the client sets itself. */
  private static final Set<HttpHeader> DROPPED = Set.of(HttpHeader.HOST, HttpHeader.CONTENT_LENGTH,
      HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE, HttpHeader.TRANSFER_ENCODING, HttpHeader.TE, HttpHeader.UPGRADE,
      HttpHeader.AUTHORIZATION, HttpHeader.USER_AGENT);
  /** Answer headers not relayed: hop-by-hop ones and those this server sets itself. */
  private static final Set<HttpHeader> DROPPED_IN_ANSWERS = Set.of(HttpHeader.CONTENT_LENGTH, HttpHeader.CONNECTION,
      HttpHeader.TRANSFER_ENCODING, HttpHeader.SERVER, HttpHeader.DATE);
  /** How long a relayed call may take; the upstream request fails after it, which fails the answer. */
  private static final long TIMEOUT_SECONDS = 30;

  private final Server server;
  private final HttpClient client;
  private final URI url;

  private Relay(Server server, HttpClient client, URI url) {
    this.server = server;
    this.client = client;
    this.url = url;
  }

  /** Starts a relay on a free loopback port, forwarding every request to {@code upstream}. */
  static Relay start(URI upstream) throws Exception {
    QueuedThreadPool clientPool = new QueuedThreadPool();
    clientPool.setName("relay-client");
    clientPool.setDaemon(true);
    HttpClient client = new HttpClient();
    client.setExecutor(clientPool);
    client.setFollowRedirects(false);
    client.setMaxConnectionsPerDestination(512);
    client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
    client.start();

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("relay-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Forwarding(client, upstream));
    server.start();
    return new Relay(server, client, URI.create("http://127.0.0.1:" + connector.getLocalPort() + upstream.getPath()));
  }

  URI url() {
    return url;
  }

  @Override
  public void close() throws Exception {
    server.stop();
    client.stop();
  }

  private record Answer(org.eclipse.jetty.client.Response head, byte[] content) {}

  private static final class Forwarding extends Handler.Abstract {
    private final HttpClient client;
    private final URI upstream;

    Forwarding(HttpClient client, URI upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    @Override
    public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback)
        throws Exception {
      ByteBuffer body = Content.Source.asByteBuffer(request);
      Request out = client.newRequest(upstream).method(HttpMethod.fromString(request.getMethod()))
          .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      out.headers(headers -> {
        for (HttpField field : request.getHeaders()) {
          if (field.getHeader() == null || !DROPPED.contains(field.getHeader())) {
            headers.add(field);
          }
        }
      });
      if (body.hasRemaining()) {
        out.body(new ByteBufferRequestContent(body));
      }
      CompletableFuture<Answer> answer = new CompletableFuture<>();
      out.send(new BufferingResponseListener(16 * 1024 * 1024) {
        @Override
        public void onComplete(org.eclipse.jetty.client.Result result) {
          if (result.isFailed()) {
            answer.completeExceptionally(result.getFailure());
          } else {
            answer.complete(new Answer(result.getResponse(), getContent()));
          }
        }
      });
      Answer upstreamAnswer;
      try {
        upstreamAnswer = answer.get(); // completes by the request's timeout at the latest
      } catch (ExecutionException e) {
        Response.writeError(request, response, callback, 502, "upstream failed: " + e);
        return true;
      }
      response.setStatus(upstreamAnswer.head().getStatus());
      for (HttpField field : upstreamAnswer.head().getHeaders()) {
        if (field.getHeader() == null || !DROPPED_IN_ANSWERS.contains(field.getHeader())) {
          response.getHeaders().add(field);
        }
      }
      byte[] content = upstreamAnswer.content();
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
      response.write(true, ByteBuffer.wrap(content), callback);
      return true;
    }
  }
}
