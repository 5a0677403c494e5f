package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What the hand-written Streamable HTTP test servers share: Jetty on 127.0.0.1 and a free port, serving {@code /mcp}
 * on virtual threads, and helpers to read a JSON-RPC message and answer with JSON, SSE or a bare status.
 */
abstract class HttpFixtureServer implements AutoCloseable {
  private final Server server;
  private final URI url;

  HttpFixtureServer() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(400);
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFixtureServer.this.handle(request, response, callback);
        return true;
      }
    });
    // Subclass fields are set before any request can arrive: a test learns the URL once the constructor returns.
    server.start();
    url = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
  }

  /** Answers one HTTP request; always completes {@code callback}. */
  abstract void handle(Request request, Response response, Callback callback) throws Exception;

  final URI url() {
    return url;
  }

  @Override
  public final void close() throws Exception {
    server.stop();
  }

  /** Writes the events of an SSE response. */
  interface StreamBody {
    void write(OutputStream out) throws Exception;
  }

  static JsonNode readMessage(Request request) throws IOException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      return Json.MAPPER.readTree(in);
    }
  }

  static void sse(Response response, Callback callback, StreamBody body) throws Exception {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    OutputStream out = Content.Sink.asOutputStream(response);
    try {
      body.write(out);
      out.close();
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
  }

  static void json(Response response, Callback callback, int status, JsonNode body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(Json.bytes(body)), callback);
  }

  static void status(Response response, Callback callback, int status) {
    response.setStatus(status);
    response.write(true, ByteBuffer.allocate(0), callback);
  }

  static ObjectNode ok(JsonNode id, ObjectNode result) {
    ObjectNode response = Json.object().put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("result", result);
    return response;
  }

  static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode response = Json.object().put("jsonrpc", "2.0");
    response.set("id", id);
    response.putObject("error").put("code", code).put("message", message);
    return response;
  }
}
