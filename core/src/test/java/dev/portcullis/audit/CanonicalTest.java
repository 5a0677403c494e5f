package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.json.Json;
import org.junit.jupiter.api.Test;

/** The canonical text is part of the hash format: old logs must verify, so its escaping never changes. */
class CanonicalTest {
  @Test
  void escapesQuotesBackslashesAndControlCharactersAsRfc8785AndNothingElse() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    String text = "plain \"quoted\" back\\slash ümlaut €" + controls + "tail";
    String expected = "\"plain \\\"quoted\\\" back\\\\slash ümlaut €"
        + "\\ufffd\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
        + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e"
        + "\\u001f" + "tail\"";

    assertThat(Canonical.json(Json.MAPPER.getNodeFactory().textNode(text)))
        .isEqualTo(expected.replace("\\ufffd", "\uFFFD"));
  }

  @Test
  void sortsKeysAndWritesNoWhitespace() throws Exception {
    assertThat(Canonical.json(Json.MAPPER.readTree("{\"b\": [1, 2.5, true, null], \"a\": {\"z\": \"\", \"y\": -3}}")))
        .isEqualTo("{\"a\":{\"y\":-3,\"z\":\"\"},\"b\":[1,2.5,true,null]}");
  }
}
