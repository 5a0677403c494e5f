package dev.portcullis.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor of any relay on this machine: HTTP/1.1 over blocking sockets on virtual threads, no HTTP library, no
 * work. Each client connection gets a virtual thread and its own keep-alive connection to the upstream; a request's
 * head and {@code Content-Length} body go upstream as they came (with the upstream's {@code Host}), the answer comes
 * back the same way. Enough for the load table's calls and nothing more: no chunked bodies, no streams, no limits —
 * a benchmark baseline, never a server to expose. The load table runs it as {@code socket-relay-2026}: what the two
 * loopback hops cost in system calls and wake-ups alone, against {@link Relay} (the same with Jetty).
 */
final class SocketRelay implements AutoCloseable {
  private final ServerSocket server;
  private final URI upstream;

  private SocketRelay(ServerSocket server, URI upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  static SocketRelay start(URI upstream) throws IOException {
    ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    SocketRelay relay = new SocketRelay(server, upstream);
    Thread.ofPlatform().daemon().name("socket-relay-accept").start(relay::accept);
    return relay;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + upstream.getPath());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        Thread.ofVirtual().name("socket-relay").start(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client; Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
      up.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream(), 16384);
      OutputStream out = new BufferedOutputStream(client.getOutputStream(), 16384);
      InputStream upIn = new BufferedInputStream(up.getInputStream(), 16384);
      OutputStream upOut = new BufferedOutputStream(up.getOutputStream(), 16384);
      String host = "Host: " + upstream.getHost() + ":" + upstream.getPort();
      for (List<String> head; (head = head(in)) != null; ) {
        relay(head, in, upOut, List.of("host:", "connection:"), host);
        List<String> answer = head(upIn);
        if (answer == null) {
          return;
        }
        relay(answer, upIn, out, List.of("connection:", "date:", "server:"), null);
      }
    } catch (IOException e) {
      // the client or the upstream went away: so does this connection
    }
  }

  /** Writes a message's head (less the {@code dropped} headers, plus {@code added}) and its body to {@code to}. */
  private static void relay(List<String> head, InputStream from, OutputStream to, List<String> dropped, String added)
      throws IOException {
    StringBuilder text = new StringBuilder(256).append(head.getFirst()).append("\r\n");
    int length = 0;
    for (String field : head.subList(1, head.size())) {
      String lower = field.toLowerCase(Locale.ROOT);
      if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("chunked bodies are not relayed");
      }
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(field.substring(field.indexOf(':') + 1).strip());
      }
      if (dropped.stream().noneMatch(lower::startsWith)) {
        text.append(field).append("\r\n");
      }
    }
    if (added != null) {
      text.append(added).append("\r\n");
    }
    to.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    to.write(from.readNBytes(length));
    to.flush();
  }

  /** The lines of a message head up to the empty line; null at the end of the stream. */
  private static List<String> head(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    for (int b; (b = in.read()) >= 0; ) {
      if (b != '\n') {
        line.write(b);
        continue;
      }
      String text = line.toString(StandardCharsets.ISO_8859_1);
      text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      if (text.isEmpty()) {
        return lines;
      }
      lines.add(text);
      line.reset();
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
