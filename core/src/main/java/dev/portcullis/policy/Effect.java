package dev.portcullis.policy;

/** What a matching grant or rule does, in precedence order: deny wins, then approval, then dry run, then allow. */
enum Effect {
  DENY("deny"),
  REQUIRE_APPROVAL("require_approval"),
  DRY_RUN("dry_run"),
  ALLOW("allow");

  final String yaml;

  Effect(String yaml) {
    this.yaml = yaml;
  }

  static Effect parse(String text) {
    for (Effect e : values()) {
      if (e.yaml.equals(text)) {
        return e;
      }
    }
    return null;
  }
}
