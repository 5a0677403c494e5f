package dev.portcullis.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.Base64URL;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void sortsMembersRecursivelyAndDropsWhitespace() {
    String json = """
        { "b": [ 3, { "z": true, "a": null } ],
          "a": "x" }
        """;
    assertThat(CanonicalJson.canonicalize(json)).isEqualTo("{\"a\":\"x\",\"b\":[3,{\"a\":null,\"z\":true}]}");
  }

  @Test
  void sortsMemberNamesByUtf16CodeUnitsAsRfc8785Example() {
    // RFC 8785 section 3.2.3
    String json = """
        {"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",
         "\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}
        """;
    assertThat(CanonicalJson.canonicalize(json)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\","
        + "\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void escapesOnlyWhatJsonRequires() {
    String json = "{\"s\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"}";
    assertThat(CanonicalJson.canonicalize(json)).isEqualTo("{\"s\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  @Test
  void printsNumbersTheWayEcmaScriptDoes() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("0", "0");
    cases.put("-0.0", "0");
    cases.put("1.0", "1");
    cases.put("4.50", "4.5");
    cases.put("2e-3", "0.002");
    cases.put("0.000001", "0.000001");
    cases.put("1e-7", "1e-7");
    cases.put("1E30", "1e+30");
    cases.put("1e21", "1e+21");
    cases.put("123456789012345680000", "123456789012345680000");
    cases.put("333333333.33333329", "333333333.3333333");
    cases.put("-5e-324", "-5e-324");
    cases.put("1.7976931348623157e308", "1.7976931348623157e+308");
    cases.put("9007199254740993", "9007199254740992");
    cases.put("-1.5e-7", "-1.5e-7");
    cases.forEach((in, out) ->
        assertThat(CanonicalJson.canonicalize("{\"n\":" + in + "}")).as(in).isEqualTo("{\"n\":" + out + "}"));
  }

  @Test
  void printsIntegralDoublesAsTheirIntegerDigits() {
    java.util.Random random = new java.util.Random(53);
    for (int i = 0; i < 10_000; i++) {
      long n = random.nextLong() >> random.nextInt(64); // every magnitude up to 2^63
      double d = n;
      String printed = CanonicalJson.number(d);
      assertThat(Double.parseDouble(printed)).as("%d", n).isEqualTo(d);
      if (Math.abs(d) < 0x1p53) {
        assertThat(printed).isEqualTo(Long.toString(n));
      } else {
        // shortest digits, padded with zeros: no more significant digits than Java's shortest
        String shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros().unscaledValue().abs().toString();
        assertThat(printed.replace("-", "").replaceAll("0+$", "")).as("%d", n).hasSizeLessThanOrEqualTo(
            shortest.length());
      }
    }
    assertThat(CanonicalJson.number(0x1p53 - 1)).isEqualTo("9007199254740991");
    assertThat(CanonicalJson.number(0x1p53)).isEqualTo("9007199254740992");
    assertThat(CanonicalJson.number(-0x1p53 - 2)).isEqualTo("-9007199254740994");
    assertThat(CanonicalJson.number(1e21)).isEqualTo("1e+21");
    assertThat(CanonicalJson.number(-0.0)).isEqualTo("0");
  }

  @Test
  void piecesForOtherTreeTypesWriteWhatCanonicalizeWrites() {
    StringBuilder out = new StringBuilder("{");
    CanonicalJson.appendString("n\u00e9\"\u0001", out);
    out.append(':');
    CanonicalJson.appendNumber(1e-7, out);
    out.append('}');
    String text = "{\"n\\u00e9\\\"\\u0001\": 1.0E-7}";
    assertThat(out.toString()).isEqualTo(CanonicalJson.canonicalize(text));
    assertThat(CanonicalJson.sha256OfCanonical(out.toString())).isEqualTo(CanonicalJson.sha256(text));
    assertThatThrownBy(() -> CanonicalJson.appendNumber(Double.NaN, new StringBuilder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("number NaN cannot be represented in JSON; send a finite number");
  }

  @Test
  void textAndTreeOfTheSameArgumentsHashAlike() {
    String text = "{\"path\":\"/tmp/a\",\"limit\":10,\"opts\":{\"deep\":true,\"tags\":[\"x\",1.5]}}";
    Map<String, Object> tree = Map.of(
        "opts", Map.of("tags", List.of("x", new BigDecimal("1.50")), "deep", true),
        "limit", BigInteger.TEN,
        "path", "/tmp/a");
    assertThat(CanonicalJson.sha256(tree)).isEqualTo(CanonicalJson.sha256(text));
  }

  @Test
  void hashIsBase64urlSha256OfTheCanonicalUtf8() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest("{\"a\":\"\u00e9\",\"b\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(CanonicalJson.sha256("{ \"b\": 1.0, \"a\": \"\\u00e9\" }")).isEqualTo(Base64URL.encode(digest).toString());
  }

  @Test
  void missingArgumentsAreTheEmptyObject() {
    assertThat(CanonicalJson.sha256((String) null)).isEqualTo(CanonicalJson.sha256("{}"));
    assertThat(CanonicalJson.sha256("  ")).isEqualTo(CanonicalJson.sha256("{}"));
    assertThat(CanonicalJson.sha256((Map<String, ?>) null)).isEqualTo(CanonicalJson.sha256("{}"));
  }

  @Test
  void refusesDuplicateMemberNames() {
    assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"to\":\"a@acme.example\",\"to\":\"x@evil.example\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate member names");
  }

  @Test
  void refusesTextThatIsNotOneJsonObject() {
    for (String bad : List.of("[1,2]", "{\"a\":1} {}", "{a:1}", "{\"a\":NaN}", "{\"a\":1e999}", "\"x\"")) {
      assertThatThrownBy(() -> CanonicalJson.canonicalize(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not one JSON object");
    }
  }

  @Test
  void refusesTreesWithNonJsonValues() {
    assertThatThrownBy(() -> CanonicalJson.canonicalize(Map.of("when", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value at $.when is a java.lang.Object");
    assertThatThrownBy(() -> CanonicalJson.canonicalize(Map.of("n", List.of(Double.NaN))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("number at $.n[0] is NaN");
    assertThatThrownBy(() -> CanonicalJson.canonicalize(Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-string key 1");
  }
}
