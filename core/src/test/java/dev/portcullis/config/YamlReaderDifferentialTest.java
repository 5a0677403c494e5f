package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-pass reader ({@link YamlReader}) must give exactly what the composer-based reader it replaced
 * ({@link ComposingYamlReader}) gave: the same {@link Node} tree, marks included, and the same problems, for every
 * YAML text in the repository (policy files, the YAML of the docs, the text blocks of every test), for hand-written
 * edge cases, and for generated documents and broken variants of them all.
 */
class YamlReaderDifferentialTest {
  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final Pattern MARKDOWN_YAML = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[ \\t]*\\n(.*?)\"\"\"", Pattern.DOTALL);

  @Test
  void readsEveryYamlTextOfTheRepositoryAsBefore() {
    List<String> texts = repositoryTexts();
    assertThat(texts).hasSizeGreaterThan(200);
    RandomYaml random = new RandomYaml(11);
    for (int i = 0; i < texts.size(); i++) {
      assertSameReading("repository text " + i, texts.get(i));
      for (int variant = 0; variant < 5; variant++) {
        assertSameReading("broken repository text " + i + "." + variant, random.broken(texts.get(i)));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.portcullis.config.YamlEdgeCases#all")
  void readsEdgeCasesAsBefore(String text) {
    assertSameReading("edge case", text);
  }

  @Test
  void readsGeneratedDocumentsAndBrokenVariantsAsBefore() {
    RandomYaml random = new RandomYaml(42);
    for (int i = 0; i < 4000; i++) {
      String text = random.document();
      assertSameReading("generated document " + i, text);
      assertSameReading("broken generated document " + i, random.broken(text));
    }
  }

  private static void assertSameReading(String what, String text) {
    Path file = Path.of("policy.yaml");
    Problems found = new Problems();
    Optional<Node> read = YamlReader.read(file, text, found);
    if (found.all().stream().anyMatch(p -> p.message().startsWith("aliases unfold into more than"))) {
      return; // the composer-based reader walks such an input for ever (YamlReaderTest covers it)
    }
    Problems expectedProblems = new Problems();
    Optional<Node> expected = ComposingYamlReader.read(file, text, expectedProblems);
    assertThat(found.all()).as(() -> "problems of " + what + ":\n" + text).isEqualTo(expectedProblems.all());
    assertThat(read).as(() -> "nodes of " + what + ":\n" + text).isEqualTo(expected);
  }

  /** Policy files, YAML blocks of Markdown pages and Java text blocks of the whole repository. */
  private static List<String> repositoryTexts() {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(REPOSITORY)) {
      for (Path file : files.filter(YamlReaderDifferentialTest::isSource).sorted().toList()) {
        String content = Files.readString(file);
        String name = file.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
          texts.add(content);
        } else {
          Matcher m = (name.endsWith(".md") ? MARKDOWN_YAML : TEXT_BLOCK).matcher(content);
          while (m.find()) {
            texts.add(name.endsWith(".md") ? m.group(1) : textBlock(m.group(1)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts;
  }

  private static boolean isSource(Path path) {
    String relative = REPOSITORY.relativize(path).toString();
    String name = path.getFileName().toString();
    return Files.isRegularFile(path) && !relative.contains("target/") && !relative.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".md") || name.endsWith(".java"));
  }

  /** A text block's value, near enough: indentation stripped, escapes translated. */
  private static String textBlock(String body) {
    try {
      return body.stripIndent().translateEscapes();
    } catch (IllegalArgumentException e) {
      return body.stripIndent();
    }
  }
}
