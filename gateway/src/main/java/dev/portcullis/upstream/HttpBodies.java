package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Small helpers for response bodies read from Jetty, which reports some stream failures unchecked. */
final class HttpBodies {
  private HttpBodies() {}

  static JsonNode parseQuietly(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      return node == null ? Json.NODES.missingNode() : node;
    } catch (IOException e) {
      return Json.NODES.missingNode();
    }
  }

  static byte[] readUpTo(InputStream in, int max) {
    try (in) {
      return in.readNBytes(max);
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  static void quietlyClose(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // the response is abandoned either way
    }
  }

  /** Reads to the end so the connection can be reused; a failure only means it is dropped instead. */
  static void drain(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      // the connection is dropped instead of reused
    }
  }
}
