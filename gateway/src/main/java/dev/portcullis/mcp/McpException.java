package dev.portcullis.mcp;

/** Thrown while reading a request when it cannot be served; carries the exact error to answer with. */
public final class McpException extends Exception {
  private final McpError error;

  public McpException(McpError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public McpError error() {
    return error;
  }
}
