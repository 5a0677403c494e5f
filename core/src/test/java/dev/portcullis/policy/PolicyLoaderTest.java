package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.Problem;
import dev.portcullis.config.UpstreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
  private static List<Problem> errors(String yaml) {
    try {
      PolicyLoader.fromText("p.yaml", yaml);
    } catch (PolicyException e) {
      return e.errors();
    }
    throw new AssertionError("expected the policy to be rejected");
  }

  @Test
  void loadsAMinimalPolicyWithDefaults() {
    Policy p = PolicyLoader.fromText("p.yaml", """
        version: 1
        agents:
          a: { roles: [r] }
        roles:
          r: { grants: [ { id: g, tools: ["*"] } ] }
        """);
    assertThat(p.server().bind()).isEqualTo("127.0.0.1");
    assertThat(p.server().port()).isEqualTo(8080);
    assertThat(p.server().limits().maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(p.audit().path(p.server())).endsWithRaw(Path.of("data", "audit.db"));
    assertThat(p.version()).hasSize(64);
    assertThat(p.labels()).contains("private_data", "untrusted_content", "external_egress");
  }

  @Test
  void credentialsSectionSetsIssuerAndLifetimeAndRefusesLongLivedTokens() {
    String base = """
        version: 1
        server:
          credentials: { issuer: "https://gw.example", lifetime: %s }
        """;
    Policy p = PolicyLoader.fromText("p.yaml", base.formatted("10s"));
    assertThat(p.server().credentials().issuer()).hasValue(java.net.URI.create("https://gw.example"));
    assertThat(p.server().credentials().lifetime()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(PolicyLoader.fromText("p.yaml", "version: 1\n").server().credentials().lifetime())
        .isEqualTo(java.time.Duration.ofSeconds(30));

    List<Problem> errors = errors(base.formatted("1h"));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.message()).contains("server.credentials.lifetime", "outside 1s to 5m");
      assertThat(e.mark().line()).isEqualTo(3);
    });
  }

  @Test
  void credentialsSignerDefaultsToAutoAndRefusesUnknownNamesWithTheChoices() {
    String base = """
        version: 1
        server:
          credentials: { signer: %s }
        """;
    assertThat(PolicyLoader.fromText("p.yaml", "version: 1\n").server().credentials().signer())
        .isEqualTo(dev.portcullis.config.CredentialsConfig.Signer.AUTO);
    assertThat(PolicyLoader.fromText("p.yaml", base.formatted("jdk")).server().credentials().signer())
        .isEqualTo(dev.portcullis.config.CredentialsConfig.Signer.JDK);
    assertThat(PolicyLoader.fromText("p.yaml", base.formatted("aws-lc")).server().credentials().signer())
        .isEqualTo(dev.portcullis.config.CredentialsConfig.Signer.AWS_LC);

    List<Problem> errors = errors(base.formatted("openssl"));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.message()).isEqualTo("server.credentials.signer 'openssl' is not known");
      assertThat(e.hint()).contains("auto", "aws-lc", "jdk");
      assertThat(e.mark().line()).isEqualTo(3);
    });
  }

  @Test
  void unknownKeyIsReportedWithPositionAndSuggestion() {
    List<Problem> errors = errors("""
        version: 1
        agents:
          a:
            rols: [r]
        """);
    assertThat(errors).hasSize(1);
    Problem p = errors.get(0);
    assertThat(p.mark().line()).isEqualTo(4);
    assertThat(p.mark().column()).isEqualTo(5);
    assertThat(p.message()).contains("unknown key 'rols' in agent 'a'");
    assertThat(p.hint()).isEqualTo("did you mean 'roles'?");
    assertThat(p.toString()).contains("p.yaml:4:5: error:");
  }

  @Test
  void undefinedRoleNamesTheDefinedOnes() {
    List<Problem> errors = errors("""
        version: 1
        agents:
          a: { roles: [suport] }
          b: { roles: [auditor] }
        roles:
          support: {}
          billing: {}
        """);
    assertThat(errors).extracting(Problem::hint).containsExactly(
        "role 'suport' is not defined; did you mean 'support'?",
        "role 'auditor' is not defined; defined roles: billing, support");
  }

  @Test
  void everyProblemIsReportedInOnePass() {
    PolicyException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class,
        () -> PolicyLoader.fromText("p.yaml", """
            version: 1
            upstreams:
              acme: { command: [x] }
            agents:
              a: { roles: [nope], mode: strict }
            roles:
              r:
                grants:
                  - id: g1
                    tools: [acmee.crm_search]
                  - tools: [acme.x]
                  - id: g1
                    effect: alow
                    tools: [acme.y]
            """));
    assertThat(e.errors()).hasSize(6);
    assertThat(e.getMessage()).startsWith("policy has 6 errors:")
        .contains("did you mean 'acme'?", "did you mean 'allow'?", "has no id", "used twice", "mode 'strict'");
  }

  @Test
  void roleCycleIsAnError() {
    assertThat(errors("""
        version: 1
        roles:
          a: { extends: [b] }
          b: { extends: [c] }
          c: { extends: [a] }
        """)).extracting(Problem::message).contains("roles extend each other in a cycle: a extends b extends c extends a");
  }

  @Test
  void duplicateYamlKeysAreRefusedNotSilentlyOverwritten() {
    List<Problem> errors = errors("""
        version: 1
        agents:
          a: { roles: [] }
          a: { roles: [] }
        """);
    assertThat(errors.get(0).message()).contains("duplicate key 'a'", "first defined at");
    assertThat(errors.get(0).mark().line()).isEqualTo(4);
  }

  @Test
  void yamlSyntaxErrorHasAPosition() {
    List<Problem> errors = errors("version: 1\nagents:\n  a: [unclosed\n");
    assertThat(errors.get(0).message()).startsWith("YAML syntax error");
    assertThat(errors.get(0).mark().line()).isGreaterThan(1);
  }

  @Test
  void missingOrWrongVersionIsAnError() {
    assertThat(errors("agents: {}\n").get(0).message()).contains("no 'version'");
    assertThat(errors("version: 2\n").get(0).message()).contains("not supported");
  }

  @Test
  void plaintextKeysAndLiteralSecretsAreRefused() {
    List<Problem> errors = errors("""
        version: 1
        upstreams:
          files: { url: "https://files.example/mcp", bearer: "s3cret" }
        agents:
          a: { keys: [ { id: k1, hash: "pcl_k1_abcdef" } ] }
        """);
    assertThat(errors).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("plaintext key"))
        .anySatisfy(m -> assertThat(m).contains("written as a literal"));
    assertThat(errors.toString()).doesNotContain("s3cret", "abcdef");
  }

  @Test
  void yesAndNoAreTextNotBooleans() {
    List<Problem> errors = errors("""
        version: 1
        tools:
          acme.x: { allow_undeclared_arguments: yes }
        """);
    assertThat(errors.get(0).message()).contains("must be true or false, found the text 'yes'");
  }

  @Test
  void celTypeErrorsAreLoadErrorsAtTheExpression() {
    List<Problem> errors = errors("""
        version: 1
        roles:
          r:
            grants:
              - id: g
                tools: [x.y]
                when: "arg.amount <= 100"
              - id: h
                tools: [x.y]
                when: "1 + 'a' == 2"
              - id: i
                tools: [x.y]
                when: "args.amount"
        """);
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).mark().line()).isEqualTo(7);
    assertThat(errors.get(0).message()).contains("undeclared reference to 'arg'");
    assertThat(errors.get(1).message()).contains("no matching overload");
    PolicyLoader.fromText("ok.yaml", """
        version: 1
        roles:
          r: { grants: [ { id: g, tools: [x.y], when: "args.amount <= 100" } ] }
        """);
  }

  @Test
  void rulesNeedAnEffectAndKnownLabels() {
    assertThat(errors("""
        version: 1
        rules:
          - id: r1
            tool_labels: [egress]
        """)).extracting(Problem::message).containsExactlyInAnyOrder("rule 'r1' has no effect",
        "rule 'r1' refers to label 'egress', which is not declared");
  }

  @Test
  void upstreamPathsResolveAgainstThePolicyFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf/policy.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        version: 1
        upstreams:
          acme: { command: [../bin/demo, serve], env: { TOKEN: { env: ACME_TOKEN }, MODE: fast } }
          web: { url: "http://127.0.0.1:9001/mcp", wire: stateless, timeout: 5s }
        server:
          data_dir: state
        """);
    Policy p = PolicyLoader.load(file);
    UpstreamConfig acme = p.upstreams().get("acme");
    assertThat(acme.command()).containsExactly(dir.resolve("bin/demo").toString(), "serve");
    assertThat(acme.env().get("TOKEN")).isInstanceOf(UpstreamConfig.Value.Secret.class);
    assertThat(acme.env().get("MODE").resolve()).isEqualTo("fast");
    assertThat(p.upstreams().get("web").wire()).isEqualTo(UpstreamConfig.Wire.STATELESS);
    assertThat(p.upstreams().get("web").timeout()).hasSeconds(5);
    assertThat(p.server().dataDir()).isEqualTo(dir.resolve("conf/state"));
  }

  @Test
  void aDirectoryOfFilesMergesAndRefusesOverlaps(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("00-base.yaml"), """
        version: 1
        roles:
          r: { grants: [ { id: g, tools: ["*"] } ] }
        """);
    Files.writeString(dir.resolve("10-agents.yaml"), """
        agents:
          a: { roles: [r] }
        """);
    Files.writeString(dir.resolve("policy.tests.yaml"), "not: [a, policy]\n");
    Policy p = PolicyLoader.load(dir);
    assertThat(p.agents()).containsKey("a");
    assertThat(p.files()).hasSize(2);

    Files.writeString(dir.resolve("20-more.yaml"), """
        agents:
          a: { roles: [] }
        """);
    assertThatThrownBy(() -> PolicyLoader.load(dir)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("20-more.yaml:2:3")
        .hasMessageContaining("agents 'a' is defined twice (also at " + dir.resolve("10-agents.yaml") + ":2:3)");
  }

  @Test
  void warnsAboutUnusedRolesAndShadowedGrants() {
    Policy p = PolicyLoader.fromText("p.yaml", """
        version: 1
        agents:
          a: { roles: [r], keys: [] }
        roles:
          r: { grants: [ { id: g, tools: [acme.delete_user] } ] }
          spare: {}
        rules:
          - { id: never-delete, effect: deny, tools: ["acme.delete_*"] }
        """);
    assertThat(p.warnings()).extracting(Problem::message).containsExactlyInAnyOrder(
        "grant 'g' can never take effect: rule 'never-delete' denies everything it covers",
        "role 'spare' is not held by any agent");
  }

  @Test
  void anAgentAttributeWithoutAValueIsRefusedWhereItIsWritten() {
    List<Problem> errors = errors("""
        version: 1
        agents:
          a:
            roles: [r]
            keys: [{ id: k1, hash: "sha256:a1UlBzuv0aaP35xB0VbwHw:_a6nUUMfWWY9xz1jypWqTM_hWY1GzU4XapcGijgMKZI" }]
            attributes:
              region:
        roles:
          r: {}
        """);
    assertThat(errors).singleElement().satisfies(p -> {
      assertThat(p.toString()).contains("p.yaml:7:7: error:");
      assertThat(p.message()).contains("agent 'a': attribute 'region' has no value");
      assertThat(p.hint()).contains("leave it out");
    });
  }

  @Test
  void aNullInsideAnAgentAttributeStaysJsonNullAndReadsAsCelsNullInConditions() {
    Policy p = PolicyLoader.fromText("p.yaml", """
        version: 1
        agents:
          a:
            roles: [r]
            keys: [{ id: k1, hash: "sha256:a1UlBzuv0aaP35xB0VbwHw:_a6nUUMfWWY9xz1jypWqTM_hWY1GzU4XapcGijgMKZI" }]
            attributes: { zones: [eu-1, null], tier: 2 }
        roles:
          r: {}
        """);
    dev.portcullis.model.Agent agent = p.agent("a", "k1").orElseThrow();
    assertThat(agent.attributes().get("zones")).isEqualTo(java.util.Arrays.asList("eu-1", null));
    assertThat(agent.attributes()).containsEntry("tier", 2L);
    assertThat(((java.util.Map<?, ?>) Activation.agentValue(agent).get("attributes")).get("zones"))
        .isEqualTo(List.of("eu-1", dev.cel.common.values.NullValue.NULL_VALUE));
  }
}
