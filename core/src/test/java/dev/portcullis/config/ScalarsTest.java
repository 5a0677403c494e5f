package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Plain scalars typed by character checks must get exactly the value SnakeYAML's Resolver (regular expressions) and
 * the composer-based reader's conversion gave them: every string over a small alphabet of number, boolean and null
 * characters, plus long and random ones.
 */
class ScalarsTest {
  private static final Resolver RESOLVER = new Resolver();

  @Test
  void typesYaml11NumbersBooleansAndNullsAsBefore() {
    assertThat(Scalars.plain("0x1f")).isEqualTo(31L);
    assertThat(Scalars.plain("1_000")).isEqualTo(1000L);
    assertThat(Scalars.plain("012")).isEqualTo(12L); // YAML 1.1 octal form, read as decimal as before
    assertThat(Scalars.plain("0o17")).isEqualTo("0o17");
    assertThat(Scalars.plain("-0b101")).isEqualTo(-5L);
    assertThat(Scalars.plain("+1")).isEqualTo(1L);
    assertThat(Scalars.plain("12345678901234567890")).isEqualTo(new BigInteger("12345678901234567890"));
    assertThat(Scalars.plain(".5")).isEqualTo(0.5);
    assertThat(Scalars.plain("1e3")).isEqualTo(1000.0);
    assertThat(Scalars.plain("-.inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Scalars.plain(".NaN")).isEqualTo(Double.NaN);
    assertThat(Scalars.plain("1:30")).isEqualTo("1:30");
    assertThat(Scalars.plain("True")).isEqualTo(true);
    assertThat(Scalars.plain("no")).isEqualTo("no");
    assertThat(Scalars.plain("~")).isNull();
    assertThat(Scalars.plain("")).isNull();
    assertThat(Scalars.plain("NULL")).isNull();
    assertThat(Scalars.plain("nULL")).isEqualTo("nULL");
  }

  @Test
  void agreesWithTheResolverOnEveryShortStringOfNumberCharacters() {
    char[] alphabet = "019_-+.eE:xbo~a ".toCharArray();
    List<String> all = new ArrayList<>(List.of(""));
    List<String> previous = List.of("");
    for (int length = 1; length <= 5; length++) {
      List<String> longer = new ArrayList<>();
      for (String s : previous) {
        for (char c : alphabet) {
          longer.add(s + c);
        }
      }
      all.addAll(longer);
      previous = longer;
    }
    all.forEach(ScalarsTest::assertAgrees);
  }

  @Test
  void agreesWithTheResolverOnWordsLongNumbersAndRandomStrings() {
    List.of("true", "True", "TRUE", "tRUE", "false", "FALSE", "fAlse", "yes", "No", "on", "OFF", "y", "n", "null",
        "Null", "NULL", "nuLL", "~", "~~", " ", "<<", "<", "<<<", ".inf", "+.Inf", "-.INF", ".iNf", ".nan", ".NaN",
        ".NAN", "+.nan", "-.nan", "0x", "0xG", "0x_", "0x_fF_", "0b", "0b2", "0b_", "0_", "08", "09", "00", "0_0", "1_",
        "_1", "1__0", "1:60", "1:59", "1:5:9", "1:123", "0:30", "190:20:30", "1:30.5", "0:30.5", "-1:30.", "1.", "1.e5",
        "1.E+5", "1e", "1e+", "1_e5", "._", "._5", ".e5", "1.5e5.5", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
        "٣", "１", "0x１", "1\n", "12 ", "-", "+", ".", "+-1", "--1", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678",
        "1234567890123456789", "+123456789012345678", "0123456789012345678")
        .forEach(ScalarsTest::assertAgrees);
    assertAgrees("1".repeat(1024));
    assertAgrees("1".repeat(1025));
    assertAgrees("." + "5".repeat(1023));
    assertAgrees("." + "5".repeat(1024));
    Random random = new Random(7);
    char[] alphabet = "0123456789_-+.eExXbBoO:aAfFnNiI~<tTrRuUlL ".toCharArray();
    for (int i = 0; i < 200_000; i++) {
      char[] s = new char[1 + random.nextInt(12)];
      for (int j = 0; j < s.length; j++) {
        s[j] = alphabet[random.nextInt(alphabet.length)];
      }
      assertAgrees(new String(s));
    }
  }

  private static void assertAgrees(String s) {
    Tag tag = RESOLVER.resolve(NodeId.scalar, s, true);
    Object expected = ComposingYamlReader.scalarValue(
        new ScalarNode(tag, s, null, null, DumperOptions.ScalarStyle.PLAIN));
    assertThat(Scalars.plain(s)).as("plain scalar '%s' (resolved as %s)", s, tag).isEqualTo(expected);
  }
}
