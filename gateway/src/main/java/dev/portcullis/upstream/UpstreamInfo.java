package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.UpstreamConfig.Wire;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What negotiation learned about an upstream: the wire it speaks, the protocol version in use, and what the server
 * said about itself. Replaced when a stdio upstream restarts or an HTTP session is re-initialized.
 *
 * @param upstream the configured name
 * @param wire {@link Wire#STATELESS} (2026-07-28) or {@link Wire#STATEFUL} (2025-11-25 / 2025-06-18), never AUTO
 * @param protocolVersion the version every request now carries
 * @param supportedVersions what the server said it supports ({@code server/discover}); the negotiated one on 2025
 * @param serverInfo the server's self-description ({@code name}, {@code version}, ...); empty object when not sent
 * @param capabilities the server's capabilities
 * @param instructions the server's instructions for models, when sent
 */
public record UpstreamInfo(
    String upstream,
    Wire wire,
    String protocolVersion,
    List<String> supportedVersions,
    ObjectNode serverInfo,
    ObjectNode capabilities,
    Optional<String> instructions) {

  public UpstreamInfo {
    Objects.requireNonNull(upstream, "upstream");
    if (wire == Wire.AUTO) {
      throw new IllegalArgumentException("negotiated wire cannot be AUTO");
    }
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    supportedVersions = List.copyOf(supportedVersions);
    Objects.requireNonNull(serverInfo, "serverInfo");
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(instructions, "instructions");
  }

  public boolean stateless() {
    return wire == Wire.STATELESS;
  }

  /** Whether the server advertises {@code listChanged} for {@code feature} (tools, prompts, resources). */
  public boolean listChanged(String feature) {
    return capabilities.path(feature).path("listChanged").asBoolean(false);
  }
}
