package dev.portcullis.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
  static final Pattern KEY = Pattern.compile("pcl_[a-z0-9]+_[A-Za-z0-9_-]{43}");
  static final String POLICY = """
      version: 1
      # the bots
      agents:
        bot:
          roles: []   # keep this comment
      """;

  @TempDir
  Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new KeysCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  static String plaintext(String out) {
    Matcher m = KEY.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group();
  }

  @Test
  void createPrintsTheKeyOnceAndTheLineToPaste() throws Exception {
    Run r = run("create", "bot");
    assertThat(r.status()).isZero();
    String key = plaintext(r.out());
    assertThat(r.out()).contains("- { id: ", "hash: \"sha256:").containsOnlyOnce(key);
    String line = r.out().lines().filter(l -> l.contains("hash:")).findFirst().orElseThrow().strip().substring(2);
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, POLICY.replace("roles: []   # keep this comment", "roles: []\n    keys: [ " + line + " ]"));
    Policy p = PolicyLoader.load(file);
    assertThat(p.authenticate(key)).get().extracting(a -> a.id()).isEqualTo("bot");
  }

  @Test
  void writeInsertsTheHashKeepingCommentsAndNeverThePlaintext() throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, POLICY);
    Run r = run("create", "bot", "--config", file.toString(), "--write");
    assertThat(r.status()).as(r.err()).isZero();
    String key = plaintext(r.out());
    String text = Files.readString(file);
    assertThat(text).contains("# the bots", "# keep this comment").doesNotContain(key);
    assertThat(PolicyLoader.load(file).authenticate(key)).isPresent();
  }

  @Test
  void unknownAgentIsRefusedWithoutCreatingAKey() throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, POLICY);
    Run r = run("create", "robot", "--config", file.toString(), "--write");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("agent 'robot' is not defined", "defined agents: bot");
    assertThat(KEY.matcher(r.out()).find()).isFalse();
    assertThat(Files.readString(file)).isEqualTo(POLICY);
  }

  @Test
  void writeWithoutConfigIsAUsageError() {
    assertThat(run("create", "bot", "--write").status()).isEqualTo(2);
  }

  @Test
  void rotateReplacesEveryKeyAndMovesTheAgentToANewVersion() throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, POLICY);
    String first = plaintext(run("create", "bot", "--config", file.toString(), "--write").out());
    String second = plaintext(run("create", "bot", "--config", file.toString(), "--write").out());
    String versionBefore = PolicyLoader.load(file).agents().get("bot").version();

    Run r = run("rotate", "bot", "--config", file.toString());

    assertThat(r.status()).as(r.err()).isZero();
    String fresh = plaintext(r.out());
    Policy after = PolicyLoader.load(file);
    assertThat(after.authenticate(fresh)).isPresent();
    assertThat(after.authenticate(first)).isEmpty();
    assertThat(after.authenticate(second)).isEmpty();
    assertThat(after.agents().get("bot").version()).isNotEqualTo(versionBefore);
    assertThat(r.out()).contains("version " + versionBefore + " -> ", "revoked keys");
    assertThat(Files.readString(file)).contains("# the bots", "# keep this comment").doesNotContain(fresh);
  }

  @Test
  void rotatingAnAgentWithADeclaredVersionNeedsTheNewOne() throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, POLICY.replace("roles: []   # keep this comment", "roles: []\n    version: v1"));

    Run refused = run("rotate", "bot", "--config", file.toString());
    Run same = run("rotate", "bot", "--config", file.toString(), "--new-version", "v1");
    String unchanged = Files.readString(file);
    Run rotated = run("rotate", "bot", "--config", file.toString(), "--new-version", "v2");

    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("declares version v1", "--new-version");
    assertThat(same.status()).isEqualTo(2);
    assertThat(same.err()).contains("equals the old one");
    assertThat(unchanged).doesNotContain("keys");
    assertThat(rotated.status()).as(rotated.err()).isZero();
    assertThat(PolicyLoader.load(file).agents().get("bot").version()).isEqualTo("v2");
    assertThat(PolicyLoader.load(file).authenticate(plaintext(rotated.out()))).isPresent();
  }

  @Test
  void rotateSigningMakesANewKeySignAndKeepsTheOldOnePublished() throws Exception {
    Path data = dir.resolve("data");
    dev.portcullis.token.SigningKeys before = dev.portcullis.token.SigningKeys.open(data.resolve("signing-keys"),
        dev.portcullis.token.SigningKeys.DEFAULT_OVERLAP, java.time.Clock.systemUTC());
    String old = before.currentKeyId();

    Run r = run("rotate-signing", "--data", data.toString());

    assertThat(r.status()).as(r.err()).isZero();
    before.reload();
    assertThat(before.currentKeyId()).isNotEqualTo(old);
    assertThat(r.out()).contains(before.currentKeyId(), "previous " + old);
    assertThat(before.publicKey(old)).isPresent();
  }

  @Test
  void rotateSigningNeedsToKnowWhereTheKeysAre() {
    Run r = run("rotate-signing");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--data", "--config");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : java.util.List.of("create", "rotate", "rotate-signing")) {
      Run r = run(sub, "--help");
      assertThat(r.status()).as(sub).isZero();
      assertThat(r.out()).as(sub).contains("Usage:", "--help");
    }
  }
}
