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
}
