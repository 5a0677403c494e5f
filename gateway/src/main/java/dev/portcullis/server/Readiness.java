package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.upstream.ProcessExit;
import dev.portcullis.upstream.Upstream;
import dev.portcullis.upstream.UpstreamState;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What {@code /readyz} answers: ready while the gateway is not stopping and every configured upstream serves calls
 * (each one is required: its tools are in the catalog agents see). The body names each upstream's state and, for one
 * that is not serving, why: a restarting stdio upstream carries its last exit code and stderr lines.
 */
final class Readiness {
  private final Collection<Upstream> upstreams;
  private final BooleanSupplier stopping;

  Readiness(Collection<Upstream> upstreams, BooleanSupplier stopping) {
    this.upstreams = List.copyOf(upstreams);
    this.stopping = stopping;
  }

  /** {@code {"ready": ..., "reasons": [...], "upstreams": {name: {"state": ..., ...}}}}. */
  ObjectNode report() {
    ObjectNode body = Json.object();
    ArrayNode reasons = Json.NODES.arrayNode();
    boolean ready = true;
    if (stopping.getAsBoolean()) {
      ready = false;
      reasons.add("the gateway is shutting down");
    }
    ObjectNode each = Json.object();
    for (Upstream upstream : upstreams) {
      UpstreamState state = upstream.state();
      each.set(upstream.name(), describe(state));
      if (!state.serving()) {
        ready = false;
        reasons.add(reason(upstream.name(), state));
      }
    }
    body.put("ready", ready);
    body.set("reasons", reasons);
    body.set("upstreams", each);
    return body;
  }

  private static ObjectNode describe(UpstreamState state) {
    ObjectNode node = Json.object();
    switch (state) {
      case UpstreamState.Up up -> node.put("state", "up").put("wire", up.info().stateless() ? "stateless" : "stateful")
          .put("protocolVersion", up.info().protocolVersion());
      case UpstreamState.Restarting restarting -> {
        node.put("state", "restarting").put("reason", restarting.reason());
        restarting.exit().ifPresent(exit -> exit(node, exit));
      }
      case UpstreamState.Down down -> node.put("state", "down").put("reason", down.reason());
    }
    return node;
  }

  private static void exit(ObjectNode node, ProcessExit exit) {
    exit.exitCode().ifPresent(code -> node.put("exitCode", code));
    if (!exit.stderrTail().isEmpty()) {
      node.put("stderr", exit.stderrTail());
    }
    node.put("exitedAt", exit.at().toString());
  }

  private static String reason(String name, UpstreamState state) {
    return switch (state) {
      case UpstreamState.Up up -> "upstream " + name + " is up";
      case UpstreamState.Restarting restarting -> "upstream " + name + " is restarting: " + restarting.reason();
      case UpstreamState.Down down -> "upstream " + name + " is down: " + down.reason();
    };
  }
}
