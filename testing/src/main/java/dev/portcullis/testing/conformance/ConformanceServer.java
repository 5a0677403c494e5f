package dev.portcullis.testing.conformance;

import dev.portcullis.testing.kit.McpFixture;
import java.util.List;

/**
 * The MCP conformance fixture: everything the official suite ({@code @modelcontextprotocol/conformance}) calls, for
 * the 2026-07-28 and 2025-11-25 requirement sets, on either wire. Run it with
 * {@code [--http PORT | --stdio] [--wire 2026|2025|both]}.
 */
public final class ConformanceServer {
  public static final String NAME = "portcullis-conformance-fixture";
  public static final String VERSION = "1.0.0";

  private ConformanceServer() {}

  /** A fresh fixture (each has its own state: subscriptions, sessions, signing key). */
  public static McpFixture fixture() {
    McpFixture.Builder builder = McpFixture.builder(NAME, VERSION)
        .instructions("Conformance fixture: every tool, prompt and resource the MCP conformance suite exercises.");
    ContentTools.register(builder);
    InteractionTools.register(builder);
    MrtrTools.register(builder);
    PromptsAndResources.register(builder);
    return builder.build();
  }

  public static void main(String[] args) throws Exception {
    McpFixture.silenceLibraryLogging();
    fixture().serve(List.of(args));
  }
}
