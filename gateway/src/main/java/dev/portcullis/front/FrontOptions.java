package dev.portcullis.front;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the HTTP front.
 *
 * @param path the MCP endpoint path, {@code /mcp}
 * @param maxBodyBytes largest request body accepted
 * @param allowedHosts extra {@code Host} names besides loopback
 * @param allowedOrigins extra {@code Origin}s besides loopback
 * @param resourceMetadataUrl where the Protected Resource Metadata is served (named in {@code WWW-Authenticate})
 * @param askTimeout how long a server-to-client request waits for the client's answer
 * @param keepAlive interval of SSE keep-alive comments on long-lived streams
 */
public record FrontOptions(
    String path,
    long maxBodyBytes,
    Set<String> allowedHosts,
    Set<String> allowedOrigins,
    String resourceMetadataUrl,
    Duration askTimeout,
    Duration keepAlive) {
  public FrontOptions {
    allowedHosts = Set.copyOf(allowedHosts);
    allowedOrigins = Set.copyOf(allowedOrigins);
  }
}
