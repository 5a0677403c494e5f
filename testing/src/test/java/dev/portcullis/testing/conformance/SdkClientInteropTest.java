package dev.portcullis.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.FixtureProcess;
import dev.portcullis.testing.NodePeers;
import dev.portcullis.testing.kit.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official TypeScript SDK v2 client (testing/js/sdk-check.mjs) works with the fixture on both wires. */
class SdkClientInteropTest {

  @Test
  void typescriptClientListsCallsAndAnswersElicitationOnBothWires(@TempDir Path logs) throws Exception {
    NodePeers.file("sdk-check.mjs");
    NodePeers.module("@modelcontextprotocol/client/package.json");
    try (FixtureProcess fixture = FixtureProcess.conformanceHttp("both")) {
      NodePeers.Run run = NodePeers.run(logs.resolve("sdk.log"), List.of("sdk-check.mjs", fixture.url().toString()));

      List<JsonNode> lines = run.output().lines().filter(l -> l.startsWith("{")).map(Json::parse).toList();
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(lines).as(run.output()).hasSize(2).allSatisfy(line -> {
        assertThat(line.has("error")).as(line.toString()).isFalse();
        assertThat(line.path("tools").asInt()).isGreaterThan(20);
        assertThat(line.path("text").asText()).isEqualTo("This is a simple text response for testing.");
        assertThat(line.path("elicited").asText()).isEqualTo("Hello, Zed!");
      });
    }
  }
}
