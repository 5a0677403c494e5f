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
  void replacingKeysRevokesEveryOldKeyAndKeepsComments() {
    ApiKeys.NewKey old1 = ApiKeys.create("bot");
    ApiKeys.NewKey old2 = ApiKeys.create("bot");
    String block = """
        version: 1
        agents:
          bot:
            roles: []   # nothing yet
            keys:
              - %s
              - %s   # the second key
            # trailing comment
          other: {}
        """.formatted(old1.yamlEntry(), old2.yamlEntry());
    String flow = "version: 1\nagents:\n  bot: { roles: [], keys: [ %s, %s ] }\n".formatted(old1.yamlEntry(),
        old2.yamlEntry());

    for (String before : java.util.List.of(block, flow)) {
      String after = KeyFileEditor.replaceKeys(before, "bot", KEY);
      assertAuthenticates(after);
      Policy p = PolicyLoader.fromText("edited.yaml", after);
      assertThat(p.authenticate(old1.plaintext())).isEmpty();
      assertThat(p.authenticate(old2.plaintext())).isEmpty();
    }
    assertThat(KeyFileEditor.replaceKeys(block, "bot", KEY)).contains("# nothing yet", "# the second key",
        "# trailing comment");
  }

  @Test
  void setsADeclaredVersionOrAddsOne() {
    String declared = "version: 1\nagents:\n  bot:\n    roles: []\n    version: v1   # bump on change\n";
    String undeclared = "version: 1\nagents:\n  bot:\n    roles: []\n  other: {}\n";
    String flow = "version: 1\nagents:\n  bot: { roles: [] }\n";

    assertThat(KeyFileEditor.setVersion(declared, "bot", "v2")).contains("version: v2   # bump on change");
    assertThat(KeyFileEditor.declaredVersion(declared, "bot")).hasValue("v1");
    assertThat(KeyFileEditor.declaredVersion(undeclared, "bot")).isEmpty();
    for (String text : java.util.List.of(declared, undeclared, flow)) {
      assertThat(PolicyLoader.fromText("v.yaml", KeyFileEditor.setVersion(text, "bot", "v2")).agents().get("bot")
          .version()).isEqualTo("v2");
    }
    assertThatThrownBy(() -> KeyFileEditor.setVersion(declared, "bot", "v 2"))
        .hasMessageContaining("must be 1-64 letters");
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
