package dev.portcullis.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * stdio serves {@code initialize} before it reads the next line, so a request sent right after the handshake always
 * finds its session. The streams hold every answer written off the reading thread until the front asks for the line
 * after {@code initialize}, so a handshake answered on a worker is caught every time, not by chance.
 */
@Timeout(30)
class StdioHandshakeOrderTest {

  @Test
  void readsTheLineAfterInitializeOnlyOnceTheHandshakeIsAnswered() throws Exception {
    LineFeed in = new LineFeed();
    CountingOut out = new CountingOut(in);
    Thread front = Thread.ofPlatform().name("stdio-front").start(() -> {
      try {
        SampleFixture.build().serveStdio(in, out, EnumSet.allOf(Wire.class));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    out.reader = front;
    in.add("""
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},\
        "clientInfo":{"name":"t","version":"1"}}}""");
    in.add("""
        {"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""");

    JsonNode first = Json.parse(out.answers.take());
    JsonNode second = Json.parse(out.answers.take());
    in.end();
    front.join();

    assertThat(in.answersWhenAskedAgain.get()).as("answers written when the front read on after initialize")
        .isEqualTo(1);
    assertThat(first.path("id").asInt()).isEqualTo(1);
    assertThat(first.path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
    assertThat(second.path("id").asInt()).isEqualTo(2);
    assertThat(second.path("result").path("tools").isArray()).as("tools/list served in the session: %s", second)
        .isTrue();
  }

  /** stdin that hands out one queued line per read and notes how many answers were out when asked past the first. */
  private static final class LineFeed extends InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    final CountDownLatch askedAgain = new CountDownLatch(1);
    final CompletableFuture<Integer> answersWhenAskedAgain = new CompletableFuture<>();
    volatile CountingOut out;
    private byte[] current = new byte[0];
    private int pos;
    private int delivered;

    void add(String line) {
      lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void end() {
      lines.add(END);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == current.length) {
        if (delivered == 1 && askedAgain.getCount() > 0) {
          answersWhenAskedAgain.complete(out.written());
          askedAgain.countDown();
        }
        try {
          current = lines.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
        if (current == END) {
          return -1;
        }
        pos = 0;
        delivered++;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** stdout that splits answers into lines; one written off the reading thread waits until it reads on. */
  private static final class CountingOut extends OutputStream {
    final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final LineFeed in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int written;
    volatile Thread reader;

    CountingOut(LineFeed in) {
      this.in = in;
      in.out = this;
    }

    synchronized int written() {
      return written;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (Thread.currentThread() != reader) {
        try {
          in.askedAgain.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (this) {
        for (int i = off; i < off + len; i++) {
          if (b[i] == '\n') {
            answers.add(line.toString(StandardCharsets.UTF_8));
            written++;
            line.reset();
          } else {
            line.write(b[i]);
          }
        }
      }
    }
  }
}
