package dev.portcullis.bench.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.bench.policy.Scenario.Category;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

/** The generated workload is a valid, realistic Portcullis policy with the mix the benchmark relies on. */
class ScenarioTest {
  private static final Scenario STANDARD = Scenario.generate(Scenario.Shape.standard(), 1_000, 7);

  @Test
  void standardPolicyHasTheShapeTheIssueAsksFor() {
    PolicyModel model = STANDARD.model();

    assertThat(model.agents()).hasSize(50);
    assertThat(model.tools()).hasSize(200);
    assertThat(model.roles().stream().mapToInt(r -> r.grants().size()).sum()).isEqualTo(500);
    assertThat(model.roles().stream().flatMap(r -> r.grants().stream()).filter(g -> g.when().isPresent()).count())
        .as("grants with a CEL condition").isGreaterThan(250);
    assertThat(STANDARD.yaml()).contains("session.labels", "session.tools_called", "agent.attributes.",
        ".endsWith(", "args: {", "effect: deny", "effect: require_approval");
  }

  @Test
  void generatedYamlLoadsAsARealPolicyWithoutWarningsAboutUnknownThings() {
    Policy policy = PolicyLoader.fromText("generated.yaml", STANDARD.yaml());

    assertThat(policy.agents()).hasSize(50);
    assertThat(policy.warnings()).allSatisfy(w -> assertThat(w.toString()).doesNotContain("not defined"));
  }

  @Test
  void sameSeedsGiveTheSameWorkloadAndOtherSeedsADifferentOne() {
    Scenario again = Scenario.generate(Scenario.Shape.standard(), 1_000, 7);
    Scenario other = Scenario.generate(Scenario.Shape.standard().withSeed(99), 1_000, 7);

    assertThat(again.yaml()).isEqualTo(STANDARD.yaml());
    assertThat(again.cases()).extracting(c -> c.call().agent().id() + " " + c.tool().name() + " "
        + c.call().arguments()).isEqualTo(STANDARD.cases().stream().map(c -> c.call().agent().id() + " "
            + c.tool().name() + " " + c.call().arguments()).toList());
    assertThat(other.yaml()).isNotEqualTo(STANDARD.yaml());
  }

  @Test
  void mixHoldsEveryCategoryInItsShare() {
    assertThat(STANDARD.cases()).hasSize(1_000);
    assertThat(STANDARD.mix()).containsOnlyKeys(Category.values());
    RequestMix.SHARES.forEach((category, share) ->
        assertThat(STANDARD.mix().get(category)).as(category.name()).isEqualTo(share * 10));
  }

  @Test
  void casesAreClassifiedByTheDecisionPortcullisReaches() {
    for (Scenario.Case c : STANDARD.cases()) {
      Scenario.Outcome outcome = STANDARD.portcullis(c);
      switch (c.category()) {
        case ALLOWED -> assertThat(outcome).isEqualTo(Scenario.Outcome.ALLOW);
        case NEEDS_APPROVAL -> assertThat(outcome).isEqualTo(Scenario.Outcome.NEEDS_APPROVAL);
        default -> assertThat(outcome).isEqualTo(Scenario.Outcome.DENY);
      }
    }
  }

  @Test
  void tooSmallAShapeIsRefusedNamingTheMinimum() {
    assertThatThrownBy(() -> new Scenario.Shape(1, 5, 3, 10, 9, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 tools")
        .hasMessageContaining("at least");
  }
}
