package dev.portcullis.toolapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3.1 description of the tool API, shipped as a resource next to this class. */
final class OpenApi {
  static final String RESOURCE = "openapi.json";

  private OpenApi() {}

  static byte[] document() {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("dev/portcullis/toolapi/" + RESOURCE + " is missing from the gateway jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
