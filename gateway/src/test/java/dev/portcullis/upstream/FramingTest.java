package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Line splitting, SSE assembly, header value encoding and restart delays: the small pieces under the transports. */
class FramingTest {

  /** Hands out its bytes a few at a time, so lines and CRLF pairs straddle reads. */
  private static InputStream trickle(String text, int chunk) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= bytes.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, chunk), bytes.length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private static List<String> lines(InputStream in, int max, AtomicInteger overflows) throws IOException {
    List<String> out = new ArrayList<>();
    new LineReader(in, max, (b, o, l) -> out.add(new String(b, o, l, StandardCharsets.UTF_8)),
        overflows::incrementAndGet).run(() -> false);
    return out;
  }

  @Test
  void splitsOnLfCrlfAndCrEvenAcrossReads() throws IOException {
    for (int chunk : new int[] {1, 2, 3, 1024}) {
      assertThat(lines(trickle("a\nbb\r\nccc\rd\r\n\r\ne", chunk), 1024, new AtomicInteger()))
          .as("chunk %d", chunk).containsExactly("a", "bb", "ccc", "d", "", "e");
    }
  }

  @Test
  void skipsALineOverTheLimitWholeAndKeepsTheNext() throws IOException {
    AtomicInteger overflows = new AtomicInteger();

    List<String> out = lines(trickle("ok\n" + "x".repeat(5000) + "\nafter\n", 700), 1024, overflows);

    assertThat(out).containsExactly("ok", "after");
    assertThat(overflows).hasValue(1);
  }

  @Test
  void stopsWhenAskedAfterALine() throws IOException {
    List<String> out = new ArrayList<>();
    boolean atEnd = new LineReader(new ByteArrayInputStream("one\ntwo\nthree\n".getBytes()), 100,
        (b, o, l) -> out.add(new String(b, o, l)), () -> {}).run(() -> out.size() == 2);

    assertThat(atEnd).isFalse();
    assertThat(out).containsExactly("one", "two");
  }

  @Test
  void assemblesSseEventsWithMultilineDataIdsRetryAndComments() throws IOException {
    List<String> events = new ArrayList<>();
    SseParser parser = new SseParser((type, data, len) -> events.add(type + "=" + new String(data, 0, len,
        StandardCharsets.UTF_8)));
    String stream = ": keep-alive\r\nid: 7\r\ndata\r\n\r\nevent: message\ndata: {\"a\":\ndata:1}\n\n"
        + "retry: 2500\ndata: x\n\ndata: incomplete";

    new LineReader(trickle(stream, 3), 1024, parser, () -> {}).run(() -> false);

    assertThat(events).containsExactly("message={\"a\":\n1}", "message=x");
    assertThat(parser.lastEventId()).isEqualTo("7");
    assertThat(parser.retryMillis()).isEqualTo(2500);
  }

  @Test
  void doublesTheRestartDelayUpToTheCapAndResetsAfterAHealthyRun() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(30));

    assertThat(List.of(backoff.next(Duration.ZERO), backoff.next(Duration.ZERO), backoff.next(Duration.ZERO),
        backoff.next(Duration.ZERO), backoff.next(Duration.ZERO)))
        .extracting(Duration::toMillis).containsExactly(100L, 200L, 400L, 500L, 500L);
    assertThat(backoff.next(Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(100));
  }
}
