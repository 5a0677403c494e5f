package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.ConfigSource;
import dev.portcullis.config.Problems;
import dev.portcullis.json.Json;
import dev.portcullis.schema.SchemaCheck;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON Schema for editors must accept what the loader accepts and refuse unknown keys as the loader does. */
class PolicySchemaTest {
  static final SchemaCheck SCHEMA = load();

  static SchemaCheck load() {
    try (InputStream in = Policy.class.getResourceAsStream("policy.schema.json")) {
      return SchemaCheck.compile(Json.MAPPER.readTree(in));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode yaml(Path file) {
    return ConfigSource.read(file, new Problems()).root().toJson();
  }

  static JsonNode yaml(String text) {
    return ConfigSource.fromTexts(Map.of(Path.of("t.yaml"), text), new Problems()).root().toJson();
  }

  @Test
  void quickstartMatchesTheSchema() {
    Path quickstart = Path.of(System.getProperty("portcullis.repo", "..")).resolve("examples/quickstart.yaml");
    assertThat(SCHEMA.check(yaml(quickstart))).isEmpty();
  }

  @Test
  void schemaRefusesUnknownKeysAndBadEffects() {
    assertThat(SCHEMA.check(yaml("version: 1\nagents:\n  a: { rols: [x] }\n"))).isPresent();
    assertThat(SCHEMA.check(yaml("""
        version: 1
        roles:
          r: { grants: [ { id: g, effect: alow, tools: [x.y] } ] }
        """))).isPresent();
    assertThat(SCHEMA.check(yaml("version: 2\n"))).isPresent();
    String oidc = "version: 1\nagents:\n  a: { oidc: { issuer: i, subject: a, %s } }\n";
    assertThat(SCHEMA.check(yaml(oidc.formatted("roles_claim: roles")))).isPresent();
    assertThat(SCHEMA.check(yaml(oidc.formatted("subject_claim: realm..x")))).isPresent();
    assertThat(SCHEMA.check(yaml(oidc.formatted("attributes: { region: \"a b\" }")))).isPresent();
    assertThat(SCHEMA.check(yaml(oidc.formatted("roles_claim: roles, roles_from_claim: [r]")))).isEmpty();
  }

  @Test
  void schemaAcceptsEveryFeatureTheLoaderAccepts() {
    String everything = """
        version: 1
        server: { bind: 0.0.0.0, port: 9000, public_url: "https://gw.example", allowed_origins: [https://app.example],
                  data_dir: state, limits: { max_body_bytes: 2 MiB, max_depth: 16, max_string_length: 1000,
                  max_array_items: 50, upstream_timeout: 10s },
                  credentials: { issuer: "https://gw.example", lifetime: 20s, signer: jdk } }
        audit: { path: audit.db }
        upstreams:
          files: { url: "http://127.0.0.1:9001/mcp", bearer: { env: TOKEN }, headers: { X-Key: { file: key.txt } },
                   wire: stateful, timeout: 5s }
        labels: { finance: { description: money } }
        tools:
          files.read: { labels: [finance], cost_usd: 0.5, allow_undeclared_arguments: true, description: reads }
        agents:
          a: { roles: [r], attributes: { region: EU }, version: "3", mode: observe,
               oidc: { issuer: "https://idp", subject: a, subject_claim: azp, roles_claim: realm_access.roles,
                       roles_from_claim: [r], attributes: { tenant: "https://idp.example/tenant" } } }
        roles:
          r:
            grants:
              - { id: g, tools: [files.*], args: { path: { pattern: "^/r/" } }, when: "true",
                  filter: { rows: "true", redact: [x], mask: { p: { keep_last: 2 } } } }
              - { id: h, effect: require_approval, tools: [files.write],
                  approval: { approvers: [ops], timeout: 1h, wait: async } }
        rules:
          - { id: z, effect: deny, tool_labels: [finance], agents: ["a*"], roles: [r], when: "false" }
        budgets:
          default: { calls_per_session: 10, rate: 5/s }
          agents: { a: { cost_usd_per_day: 1.5 } }
          loops: { same_call_repeats: 2, window: 30s }
        """;
    PolicyLoader.fromText("everything.yaml", everything);
    assertThat(SCHEMA.check(yaml(everything))).isEmpty();
  }
}
