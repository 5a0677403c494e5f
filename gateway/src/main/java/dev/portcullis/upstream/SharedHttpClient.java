package dev.portcullis.upstream;

import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one Jetty client HTTP upstreams share unless the gateway passes its own: HTTP/1.1 keep-alive pools per
 * destination, no redirects (a redirect must never carry an upstream's secret headers elsewhere), no cookies (they
 * would be shared between agents), daemon threads, and
 * response listeners called on the I/O thread (they never block).
 */
final class SharedHttpClient {
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static HttpClient client;

  private SharedHttpClient() {}

  static HttpClient get() {
    LOCK.lock();
    try {
      if (client == null) {
        client = create();
      }
      return client;
    } finally {
      LOCK.unlock();
    }
  }

  /** A started client configured for upstream traffic. */
  static HttpClient create() {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("portcullis-upstream-http");
    pool.setDaemon(true);
    HttpClient http = new HttpClient();
    http.setExecutor(pool);
    http.setScheduler(new ScheduledExecutorScheduler("portcullis-upstream-http-scheduler", true));
    http.setFollowRedirects(false);
    // No cookie jar: one client serves every agent, so a cookie one upstream answer set would ride along on other
    // agents' calls (and matching cookies costs a look-up per request). MCP carries its session in Mcp-Session-Id.
    http.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
    http.setMaxConnectionsPerDestination(512);
    http.setMaxRequestsQueuedPerDestination(8192);
    http.setConnectTimeout(10_000);
    http.setIdleTimeout(120_000);
    // Every listener of upstream traffic only hands bytes over (AnswerListener, InputStreamResponseListener): they
    // run on the I/O thread that read the bytes instead of being dispatched to another thread, one wake-up less.
    http.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
    http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Portcullis"));
    try {
      http.start();
      // 401 and 407 must reach the upstream client as statuses it reports, not as Jetty authentication failures.
      http.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
      http.getProtocolHandlers().remove(org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler.NAME);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client for upstreams: " + e.getMessage(), e);
    }
    return http;
  }
}
