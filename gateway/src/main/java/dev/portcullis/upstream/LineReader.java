package dev.portcullis.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Splits a byte stream into lines ending in LF, CRLF or CR, without decoding: stdio framing and SSE both use it. A
 * line that fits in one read is handed over in place, without a copy; a line longer than the limit is skipped whole.
 */
final class LineReader {

  /** Receives each line; the bytes are only valid during the call. */
  interface Sink {
    void line(byte[] buf, int off, int len);
  }

  private static final int SHRINK_ABOVE = 1 << 20;

  private final InputStream in;
  private final int maxLine;
  private final Sink sink;
  private final Runnable overflow;
  private byte[] pending = new byte[1024];
  private int pendingLen;
  private boolean skipping;
  private boolean lastCr;

  LineReader(InputStream in, int maxLine, Sink sink, Runnable overflow) {
    this.in = in;
    this.maxLine = maxLine;
    this.sink = sink;
    this.overflow = overflow;
  }

  /** Reads until end of stream, or until {@code stop} holds after a line. Returns true at end of stream. */
  boolean run(BooleanSupplier stop) throws IOException {
    byte[] chunk = new byte[16 * 1024];
    int n;
    while ((n = in.read(chunk)) != -1) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        byte b = chunk[i];
        if (b != '\n' && b != '\r') {
          lastCr = false;
          continue;
        }
        if (b == '\n' && lastCr) {
          lastCr = false;
          start = i + 1;
          continue;
        }
        lastCr = b == '\r';
        emit(chunk, start, i - start);
        start = i + 1;
        if (stop.getAsBoolean()) {
          return false;
        }
      }
      append(chunk, start, n - start);
    }
    if (pendingLen > 0 && !skipping) {
      sink.line(pending, 0, pendingLen);
    }
    return true;
  }

  private void emit(byte[] chunk, int off, int len) {
    if (pendingLen == 0 && !skipping) {
      sink.line(chunk, off, len);
      return;
    }
    append(chunk, off, len);
    if (skipping) {
      skipping = false;
    } else {
      sink.line(pending, 0, pendingLen);
    }
    pendingLen = 0;
    if (pending.length > SHRINK_ABOVE) {
      // One huge message must not pin its buffer for the life of a long-lived stream.
      pending = new byte[1024];
    }
  }

  private void append(byte[] chunk, int off, int len) {
    if (len == 0 || skipping) {
      return;
    }
    if (pendingLen + len > maxLine) {
      skipping = true;
      pendingLen = 0;
      overflow.run();
      return;
    }
    if (pendingLen + len > pending.length) {
      pending = Arrays.copyOf(pending, Math.min(Math.max(pending.length * 2, pendingLen + len), maxLine));
    }
    System.arraycopy(chunk, off, pending, pendingLen, len);
    pendingLen += len;
  }
}
