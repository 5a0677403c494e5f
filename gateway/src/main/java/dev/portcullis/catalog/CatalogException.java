package dev.portcullis.catalog;

/** The catalog cannot be built as configured (for example two upstreams expose the same tool name). */
public final class CatalogException extends Exception {
  public CatalogException(String message) {
    super(message);
  }
}
