package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderValuesTest {
  @Test
  void plainAsciiPassesUnchanged() {
    assertThat(HeaderValues.encode("get_weather")).isEqualTo("get_weather");
    assertThat(HeaderValues.decode("get_weather")).contains("get_weather");
  }

  @Test
  void nonAsciiUsesTheBase64Sentinel() {
    String encoded = HeaderValues.encode("Hello, 世界");
    assertThat(encoded).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
    assertThat(HeaderValues.decode(encoded)).contains("Hello, 世界");
  }

  @Test
  void valueLookingLikeTheSentinelIsEncodedToo() {
    assertThat(HeaderValues.encode("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
  }

  @Test
  void innerSpacesStayPlainButNewlinesAreEncoded() {
    assertThat(HeaderValues.encode("get weather")).isEqualTo("get weather");
    assertThat(HeaderValues.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
  }

  @Test
  void leadingOrTrailingSpaceIsEncoded() {
    assertThat(HeaderValues.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
  }

  @Test
  void malformedBase64OrControlCharactersAreRejected() {
    assertThat(HeaderValues.decode("=?base64?!!!?=")).isEmpty();
    assertThat(HeaderValues.decode("=?base64?SGVsbG8?=")).as("missing padding").isEmpty();
    assertThat(HeaderValues.decode("a\u0001b")).isEmpty();
  }
}
