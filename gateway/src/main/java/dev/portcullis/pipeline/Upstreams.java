package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.upstream.Upstream;
import dev.portcullis.upstream.UpstreamException;
import java.util.Optional;

/** The running upstreams, as the pipeline reaches them. */
public interface Upstreams {
  /**
   * The upstream named {@code name} as a client with these capabilities must see it: on the 2025 wire capabilities are
   * per session, so a client that did not declare sampling, say, is served through a session that did not either.
   *
   * @return empty when no upstream of that name is configured
   */
  Optional<Upstream> forClient(String name, ObjectNode clientCapabilities) throws UpstreamException;
}
