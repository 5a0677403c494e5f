package dev.portcullis.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Assembles Server-Sent Events from lines (HTML living standard, event stream interpretation), incrementally. */
final class SseParser implements LineReader.Sink {

  /** Receives each complete event's data (the bytes are only valid during the call). */
  interface Events {
    void event(String type, byte[] data, int len);
  }

  private final Events events;
  private byte[] data = new byte[1024];
  private int dataLen;
  private boolean hasData;
  private String type;
  private String lastEventId;
  private long retryMillis = -1;

  SseParser(Events events) {
    this.events = events;
  }

  @Override
  public void line(byte[] buf, int off, int len) {
    if (len == 0) {
      dispatch();
      return;
    }
    if (buf[off] == ':') {
      return;
    }
    int colon = -1;
    for (int i = off; i < off + len; i++) {
      if (buf[i] == ':') {
        colon = i;
        break;
      }
    }
    int fieldEnd = colon < 0 ? off + len : colon;
    int valueStart = colon < 0 ? off + len : colon + 1;
    if (valueStart < off + len && buf[valueStart] == ' ') {
      valueStart++;
    }
    int valueLen = off + len - valueStart;
    String field = new String(buf, off, fieldEnd - off, StandardCharsets.US_ASCII);
    switch (field) {
      case "data" -> appendData(buf, valueStart, valueLen);
      case "event" -> type = new String(buf, valueStart, valueLen, StandardCharsets.UTF_8);
      case "id" -> {
        String id = new String(buf, valueStart, valueLen, StandardCharsets.UTF_8);
        if (id.indexOf('\0') < 0) {
          lastEventId = id;
        }
      }
      case "retry" -> {
        String value = new String(buf, valueStart, valueLen, StandardCharsets.US_ASCII);
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 12) {
          retryMillis = Long.parseLong(value);
        }
      }
      default -> { }
    }
  }

  private void appendData(byte[] buf, int off, int len) {
    int needed = dataLen + len + (hasData ? 1 : 0);
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, needed));
    }
    if (hasData) {
      data[dataLen++] = '\n';
    }
    System.arraycopy(buf, off, data, dataLen, len);
    dataLen += len;
    hasData = true;
  }

  private void dispatch() {
    if (hasData && dataLen > 0) {
      events.event(type == null ? "message" : type, data, dataLen);
    }
    hasData = false;
    dataLen = 0;
    type = null;
    if (data.length > 1 << 20) {
      data = new byte[1024];
    }
  }

  /** The last event id seen, for resuming a 2025 stream; null when the server sent none. */
  String lastEventId() {
    return lastEventId;
  }

  /** The server's reconnection delay, or -1 when it sent none. */
  long retryMillis() {
    return retryMillis;
  }
}
