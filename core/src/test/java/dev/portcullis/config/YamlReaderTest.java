package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class YamlReaderTest {
  private static final Path FILE = Path.of("policy.yaml");

  @Test
  void marksEveryKeyAndValueWithItsLineAndColumn() {
    Node.MapNode root = (Node.MapNode) read("""
        version: 1
        agents:
          bot: { roles: [worker] }
        """).orElseThrow();

    Node.Entry agents = root.entry("agents").orElseThrow();
    Node.MapNode bot = (Node.MapNode) ((Node.MapNode) agents.value()).get("bot").orElseThrow();
    assertThat(agents.keyMark()).isEqualTo(new Mark(FILE, 2, 1));
    assertThat(agents.value().mark()).isEqualTo(new Mark(FILE, 3, 3));
    assertThat(bot.mark()).isEqualTo(new Mark(FILE, 3, 8));
    assertThat(bot.get("roles").orElseThrow().mark()).isEqualTo(new Mark(FILE, 3, 17));
    assertThat(root.get("version")).contains(new Node.ScalarNode(new Mark(FILE, 1, 10), 1L, "1"));
  }

  @Test
  void typesPlainScalarsButNotQuotedOrStrTaggedOnes() {
    Node.SeqNode list = (Node.SeqNode) read("[0x1f, '0x1f', !!str 0x1f, yes, true, ~, '', .5, 1e3]").orElseThrow();

    assertThat(list.items()).extracting(n -> ((Node.ScalarNode) n).value())
        .containsExactly(31L, "0x1f", "0x1f", "yes", true, null, "", 0.5, 1000.0);
  }

  @Test
  void aliasesShareTheNodeTheyNameSoRepeatingThemCostsNothing() {
    StringBuilder laughs = new StringBuilder("l0: &l0 [" + "lol, ".repeat(999) + "lol]\n");
    for (int i = 1; i <= 10; i++) {
      laughs.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
          .append(i - 1).append("]\n");
    }
    Problems problems = new Problems();

    Node.MapNode root = (Node.MapNode) YamlReader.read(FILE, laughs.toString(), problems).orElseThrow();

    assertThat(problems.all()).isEmpty();
    Node.SeqNode l10 = (Node.SeqNode) root.get("l10").orElseThrow();
    assertThat(l10.items().get(0)).isSameAs(l10.items().get(1)).isSameAs(root.get("l9").orElseThrow());
  }

  @Test
  @Timeout(30)
  void refusesAnAliasRepeatedInsideTheCollectionItNamesInsteadOfUnfoldingItForEver() {
    Problems problems = new Problems();

    Optional<Node> read = YamlReader.read(FILE, "a: &a [*a, *a]\n", problems);

    assertThat(read).isEmpty();
    assertThat(problems.all()).singleElement().satisfies(p -> {
      assertThat(p.mark()).isEqualTo(new Mark(FILE, 1, 8));
      assertThat(p.message()).isEqualTo(
          "aliases unfold into more than 1000000 nodes (an alias inside the collection it names?)");
    });
  }

  @Test
  void cutsAnAliasInsideTheCollectionItNamesAtTheDepthLimit() {
    Problems problems = new Problems();

    Node.MapNode root = (Node.MapNode) YamlReader.read(FILE, "a: &a [*a]\n", problems).orElseThrow();

    assertThat(problems.all()).singleElement().satisfies(p -> {
      assertThat(p.mark()).isEqualTo(new Mark(FILE, 1, 4));
      assertThat(p.message()).isEqualTo("nesting deeper than 64 levels (recursive alias?)");
    });
    Node node = root.get("a").orElseThrow();
    for (int depth = 1; depth <= Document.MAX_DEPTH; depth++) {
      node = ((Node.SeqNode) node).items().get(0);
    }
    assertThat(node).isEqualTo(new Node.ScalarNode(new Mark(FILE, 1, 4), null, ""));
  }

  @Test
  void reportsADuplicateKeyInAnAliasedMappingAtEachUseAndDropsTheDuplicate() {
    Problems problems = new Problems();

    Node.MapNode root = (Node.MapNode) YamlReader.read(FILE, """
        base: &b {k: 1, k: 2}
        copy: *b
        """, problems).orElseThrow();

    assertThat(problems.all()).extracting(Problem::message)
        .containsExactly("duplicate key 'k' (first defined at policy.yaml:1:11)",
            "duplicate key 'k' (first defined at policy.yaml:1:11)");
    assertThat(((Node.MapNode) root.get("copy").orElseThrow()).asMap()).containsOnlyKeys("k");
  }

  @Test
  void namesEachRefusedConstruct() {
    assertThat(messages("a: 1\n---\nb: 2\n")).containsExactly("a policy file holds one YAML document, this one has 2");
    assertThat(messages("m:\n  <<: {a: 1}\n"))
        .containsExactly("YAML merge keys ('<<') are not supported in policy files");
    assertThat(messages("[a]: 1\n")).containsExactly("a mapping key must be plain text, found a nested structure");
    assertThat(messages("a: [" + "*x, ".repeat(3) + "]\nb: 1\nb: 2\n"))
        .containsExactly("YAML syntax error: found undefined alias x");
    assertThat(messages("a: !!python/object x\n"))
        .containsExactly("YAML syntax error: Global tag is not allowed: tag:yaml.org,2002:python/object");
    assertThat(messages("a: &a [x]\nb: [" + "*a, ".repeat(20) + "*a]\n"))
        .containsExactly("YAML cannot be read: Number of aliases for non-scalar nodes exceeds the specified max=20");
    assertThat(messages("[".repeat(51) + "x" + "]".repeat(51)))
        .containsExactly("YAML cannot be read: Nesting Depth exceeded max 50");
  }

  private static Optional<Node> read(String text) {
    Problems problems = new Problems();
    Optional<Node> node = YamlReader.read(FILE, text, problems);
    assertThat(problems.all()).isEmpty();
    return node;
  }

  private static List<String> messages(String text) {
    Problems problems = new Problems();
    YamlReader.read(FILE, text, problems);
    return problems.all().stream().map(Problem::message).toList();
  }
}
