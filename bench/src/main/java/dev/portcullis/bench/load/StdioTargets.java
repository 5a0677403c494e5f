package dev.portcullis.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;

/**
 * The targets in front of the stdio server ({@link StdioUpstream}), on both wires: Portcullis with that server as its
 * upstream ({@code portcullis-stdio}), and the plain proxies {@code mcp-proxy} and {@code supergateway}, each as one
 * process serving the 2025 wire ({@value LoadHarness#SESSIONS} sessions) and the 2026-07-28 wire (no session; targets
 * named {@code ...-2026}). Before a 2026 lane joins the table, a {@link WireCheck} finds out whether the target serves
 * that wire and what runs behind it; a target that does not serve it is left out with the reason in the facts.
 */
final class StdioTargets {
  /** Sequential calls of the wire check. */
  static final int CHECK_CALLS = 5;

  /** One target process and how to reach it on the 2025 wire (for the memory measurement). */
  private record Front(String name, ProcessHandle root, McpClient.Target target2025, boolean processPerSession) {}

  private final List<Lane> lanes;
  private final List<Front> fronts;
  private final Set<String> processPerCall;

  private StdioTargets(List<Lane> lanes, List<Front> fronts, Set<String> processPerCall) {
    this.lanes = lanes;
    this.fronts = fronts;
    this.processPerCall = processPerCall;
  }

  /** Starts the three targets (their processes go into {@code closer}) and opens their clients on both wires. */
  static StdioTargets start(Closer closer, HttpClient http, NodeProxy.Install install, Path policy, Path dir, String key,
      Path out, Map<String, String> facts, Consumer<String> progress) throws Exception {
    progress.accept("starting Portcullis with a stdio upstream, mcp-proxy and supergateway (Node " + install.node()
        + ")");
    ChildJvm gateway = closer.add(ChildJvm.start("gateway-stdio", GatewayMain.class.getName(),
        List.of("gateway", policy.toString(), dir.toString()), out.resolve("gateway-stdio.log")));
    NodeProxy mcpProxy = closer.add(NodeProxy.start(NodeProxy.Kind.MCP_PROXY, install, out.resolve("mcp-proxy.log")));
    NodeProxy supergateway = closer.add(NodeProxy.start(NodeProxy.Kind.SUPERGATEWAY, install,
        out.resolve("supergateway.log")));
    facts.put("gateway with a stdio upstream start-up (JVM launch to listening, upstream started)",
        gateway.startup().toMillis() + " ms");
    facts.put("mcp-proxy start-up (Node launch to listening)", mcpProxy.startup().toMillis() + " ms");
    facts.put("supergateway start-up (Node launch to listening; upstreams start per session)",
        supergateway.startup().toMillis() + " ms");
    List<Lane> lanes = new ArrayList<>();
    List<Front> fronts = new ArrayList<>();
    McpClient.Target ours = new McpClient.Target("portcullis-stdio", gateway.url(), McpClient.Wire.V2025,
        LoadHarness.GATEWAY_TOOL, key, false);
    lanes.add(Lane.stdioGateway(McpClient.open(http, ours, LoadHarness.SESSIONS), gateway));
    fronts.add(new Front("portcullis-stdio", gateway.handle(), ours, false));
    for (NodeProxy proxy : List.of(mcpProxy, supergateway)) {
      McpClient.Target target = new McpClient.Target(proxy.kind().label, proxy.url(), McpClient.Wire.V2025,
          McpClient.TOOL, null, false);
      lanes.add(Lane.proxy(McpClient.open(http, target, LoadHarness.SESSIONS), proxy));
      fronts.add(new Front(proxy.kind().label, proxy.handle(), target, proxy.kind().processPerSession));
    }
    progress.accept("stdio targets ready on the 2025 wire, " + LoadHarness.SESSIONS + " sessions each; stdio servers"
        + " running: Portcullis " + servers(gateway.handle()) + ", mcp-proxy " + servers(mcpProxy.handle())
        + ", supergateway " + servers(supergateway.handle()));
    // the same three processes on the 2026-07-28 wire
    List<Lane> modern = List.of(
        Lane.stdioGateway(McpClient.open(http, new McpClient.Target("portcullis-stdio-2026", gateway.url(),
            McpClient.Wire.V2026, LoadHarness.GATEWAY_TOOL, key, true), 0), gateway),
        Lane.proxy(McpClient.open(http, new McpClient.Target("mcp-proxy-2026", mcpProxy.url(), McpClient.Wire.V2026,
            McpClient.TOOL, null, false), 0), mcpProxy),
        Lane.proxy(McpClient.open(http, new McpClient.Target("supergateway-2026", supergateway.url(),
            McpClient.Wire.V2026, McpClient.TOOL, null, false), 0), supergateway));
    Set<String> perCall = new java.util.HashSet<>();
    for (Lane lane : modern) {
      WireCheck check = WireCheck.run(lane.client(), lane.middle().orElseThrow(), CHECK_CALLS);
      String fact = lane.name().replace("-2026", "") + " on the 2026-07-28 wire (" + CHECK_CALLS
          + " sequential tools/call, no session)";
      facts.put(fact, check.describe());
      progress.accept(fact + ": " + check.describe());
      if (check.serves() && check.started() >= check.calls()) {
        lanes.add(lane.watchingUpstream());
        perCall.add(lane.name());
      } else if (check.serves()) {
        lanes.add(lane);
      } else {
        facts.put(lane.name(), "not measured: it does not serve the 2026-07-28 wire (see above)");
      }
    }
    return new StdioTargets(List.copyOf(lanes), List.copyOf(fronts), Set.copyOf(perCall));
  }

  List<Lane> lanes() {
    return lanes;
  }

  /** The 2026 lanes whose target started a server process for every call of the wire check. */
  Set<String> processPerCall() {
    return processPerCall;
  }

  /**
   * Memory per 1,000 concurrent 2025 sessions of each target's process tree ({@link SessionMemory}), after the load
   * table, when every process has warmed up and holds its {@value LoadHarness#SESSIONS} table sessions.
   */
  void measureMemory(HttpClient http, int sessions, Map<String, String> facts, Consumer<String> progress)
      throws Exception {
    for (Front front : fronts) {
      SessionMemory.Result r = SessionMemory.measure(http, front.target2025(), front.root(),
          SessionMemory.toOpen(sessions, front.processPerSession()), !front.processPerSession());
      String key = front.name() + ": memory per 1,000 concurrent 2025 sessions (process tree, after the load)";
      facts.put(key, r.describe());
      progress.accept(key + ": " + r.describe());
    }
  }

  private static long servers(ProcessHandle parent) {
    return parent.descendants().filter(p -> p.info().command().filter(c -> c.endsWith("/java")).isPresent()).count();
  }
}
