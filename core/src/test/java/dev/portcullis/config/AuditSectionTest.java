package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.AuditStore;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

class AuditSectionTest {
  @Test
  void durabilityDefaultsToProcessCrashWithOrWithoutAnAuditSection() {
    assertThat(PolicyLoader.fromText("p.yaml", "version: 1\n").audit().durability())
        .isEqualTo(AuditStore.Durability.PROCESS_CRASH);
    assertThat(PolicyLoader.fromText("p.yaml", "version: 1\naudit: { path: a.db }\n").audit().durability())
        .isEqualTo(AuditStore.Durability.PROCESS_CRASH);
  }

  @Test
  void powerLossDurabilityIsAnOption() {
    assertThat(PolicyLoader.fromText("p.yaml", "version: 1\naudit: { durability: power_loss }\n").audit().durability())
        .isEqualTo(AuditStore.Durability.POWER_LOSS);
    assertThat(PolicyLoader.fromText("p.yaml", "version: 1\naudit: { durability: process_crash }\n").audit()
        .durability()).isEqualTo(AuditStore.Durability.PROCESS_CRASH);
  }

  @Test
  void anUnknownDurabilityIsAnErrorThatNamesTheChoices() {
    assertThatThrownBy(() -> PolicyLoader.fromText("p.yaml", "version: 1\naudit:\n  durability: fsync\n"))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.errors()).singleElement().satisfies(p -> {
          assertThat(p.message()).contains("audit durability 'fsync' is not known");
          assertThat(p.hint()).contains("process_crash", "power_loss");
          assertThat(p.mark().line()).isEqualTo(3);
        }));
  }
}
