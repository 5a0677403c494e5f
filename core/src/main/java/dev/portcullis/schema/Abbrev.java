package dev.portcullis.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Short renderings of values for messages: an agent needs to recognise its value, not read it back in full. */
final class Abbrev {
  static final int MAX = 80;

  private Abbrev() {}

  static String of(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(missing)";
    }
    if (value.isTextual()) {
      return quote(value.textValue());
    }
    if (value.isContainerNode()) {
      String kind = value.isArray() ? "an array of " + value.size() + " items" : "an object with " + value.size()
          + " fields";
      String text = value.toString();
      return text.length() <= MAX ? text : kind;
    }
    return value.toString();
  }

  static String quote(String s) {
    String shown = s.length() <= MAX ? s : s.substring(0, MAX) + "... (" + s.length() + " chars)";
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }
}
