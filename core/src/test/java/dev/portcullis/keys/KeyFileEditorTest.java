package dev.portcullis.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

class KeyFileEditorTest {
  static final ApiKeys.NewKey KEY = ApiKeys.create("bot");

  static void assertAuthenticates(String text) {
    Policy p = PolicyLoader.fromText("edited.yaml", text);
    assertThat(p.authenticate(KEY.plaintext())).get().extracting(a -> a.id()).isEqualTo("bot");
  }

  @Test
  void appendsToABlockListKeepingComments() {
    String before = """
        version: 1
        agents:
          bot:
            roles: []   # nothing yet
            keys:
              - { id: kold, hash: "sha256:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }
            # trailing comment
          other: {}
        """;
    String after = KeyFileEditor.addKey(before, "bot", KEY);
    assertThat(after).contains("# nothing yet", "# trailing comment", "      - " + KEY.yamlEntry());
    assertAuthenticates(after);
  }

  @Test
  void extendsAFlowListAndAFlowMapping() {
    String flowList = "version: 1\nagents:\n  bot: { roles: [], keys: [] }\n";
    assertAuthenticates(KeyFileEditor.addKey(flowList, "bot", KEY));
    String flowMap = "version: 1\nagents:\n  bot: { roles: [] }\n  x: {}\n";
    assertAuthenticates(KeyFileEditor.addKey(flowMap, "bot", KEY));
  }

  @Test
  void addsAKeysListToABlockMapping() {
    String before = """
        version: 1
        agents:
          bot:
            description: no keys yet
          other: {}
        """;
    String after = KeyFileEditor.addKey(before, "bot", KEY);
    assertThat(after).contains("    keys:\n      - " + KEY.yamlEntry());
    assertAuthenticates(after);
  }

  @Test
  void refusesUnknownAgents() {
    assertThatThrownBy(() -> KeyFileEditor.addKey("version: 1\nagents: {}\n", "bot", KEY))
        .hasMessage("agent 'bot' is not defined in this file");
  }
}
