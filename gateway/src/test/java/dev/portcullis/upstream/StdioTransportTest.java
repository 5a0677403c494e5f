package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stdio transport on its own, against real processes: what a request meets when it is written to the process
 * that is current, alive or already exited (as a relaunched process's handshake can be when the process exits before
 * the handshake is registered).
 */
@Timeout(30)
class StdioTransportTest {
  private StdioTransport transport;

  @AfterEach
  void close() {
    if (transport != null) {
      transport.close();
    }
  }

  @Test
  void aRequestWrittenToALiveProcessReachesIt() throws Exception {
    // head echoes the first line it reads back on stdout, where the transport reads it as a message.
    Recorder inbound = open(List.of("head", "-n", "1"));
    ObjectNode request = Mcp.request(1, "initialize", Json.object());

    transport.send(exchange(1), request);

    assertThat(inbound.message.get(10, TimeUnit.SECONDS)).hasToString(request.toString());
  }

  @Test
  void aRequestWrittenToAProcessThatAlreadyExitedFailsAtOnceWithTheErrorItsCrashWasReportedWith() throws Exception {
    Recorder inbound = open(List.of("sh", "-c", "echo 'missing API key' >&2; exit 5"));
    UpstreamException crash = inbound.disconnect.get(10, TimeUnit.SECONDS);
    Optional<ProcessExit> exit = transport.lastExit();

    assertThatThrownBy(() -> transport.send(exchange(1), Mcp.request(1, "initialize", Json.object())))
        .isSameAs(crash)
        .hasMessageContaining("upstream crasher exited with code 5")
        .hasMessageContaining("missing API key");
    assertThat(transport.lastExit()).as("the exit is recorded once, not again by the failed write").isEqualTo(exit);
  }

  private Recorder open(List<String> command) throws UpstreamException {
    transport = new StdioTransport(Fixtures.command("crasher", command, Duration.ofSeconds(5)),
        UpstreamOptions.defaults());
    Recorder inbound = new Recorder();
    transport.bind(inbound);
    transport.open();
    return inbound;
  }

  private static Exchange exchange(long id) {
    return new Exchange(id, "initialize", "crasher", CallContext.defaults(), null, null, false, Duration.ofSeconds(5));
  }

  /** Keeps the first message and the first disconnect; never asks for a relaunch. */
  private static final class Recorder implements Transport.Inbound {
    final CompletableFuture<ObjectNode> message = new CompletableFuture<>();
    final CompletableFuture<UpstreamException> disconnect = new CompletableFuture<>();

    @Override
    public void onMessage(ObjectNode m, Exchange stream) {
      message.complete(m);
    }

    @Override
    public boolean onDisconnect(UpstreamException cause) {
      disconnect.complete(cause);
      return false;
    }

    @Override
    public void onReconnect() {
      throw new AssertionError("the transport relaunched although onDisconnect said not to");
    }

    @Override
    public void renegotiate() {
      throw new AssertionError("stdio has no session to renegotiate");
    }
  }
}
