package dev.portcullis.bench.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.bench.policy.Scenario.Case;
import dev.portcullis.bench.policy.Scenario.Category;
import dev.portcullis.bench.policy.Scenario.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Portcullis and Cedar, given the same generated policy and the same requests, reach the same decision (allow, deny,
 * needs approval). Three policies from three seeds, 1,500 requests each, every category of the mix represented.
 */
class DifferentialTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void portcullisAndCedarReachTheSameDecisions(long seed) {
    Scenario scenario = Scenario.generate(Scenario.Shape.standard().withSeed(seed), 1_500, seed * 31);

    List<String> disagreements = new ArrayList<>();
    List<String> cedarErrors = new ArrayList<>();
    for (Case c : scenario.cases()) {
      Outcome portcullis = scenario.portcullis(c);
      Outcome cedar = scenario.cedar(c);
      if (portcullis != cedar) {
        disagreements.add(describe(c) + ": Portcullis " + portcullis + " (" + scenario.policy().decide(c.call(), c.tool())
            + "), Cedar " + cedar);
      }
      if (disagreements.size() < 5) {
        cedarErrors.addAll(scenario.cedarErrors(c));
      }
    }

    assertThat(scenario.mix()).as(scenario.describe()).containsOnlyKeys(Category.values());
    assertThat(cedarErrors).as("Cedar evaluation errors").isEmpty();
    assertThat(disagreements).as("%d of %d requests decided differently; first ones", disagreements.size(),
        scenario.cases().size()).isEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1})
  void aCedarPolicyWithoutTheDenyRulesIsCaughtDisagreeing(long seed) {
    Scenario scenario = Scenario.generate(Scenario.Shape.standard().withSeed(seed), 600, seed * 31);
    Map<String, String> withoutRules = new LinkedHashMap<>(scenario.cedarPolicies());
    scenario.model().rules().forEach(r -> withoutRules.remove(r.id()));
    CedarEngine weakened = new CedarEngine(scenario.model(), withoutRules);

    long disagreements = scenario.cases().stream()
        .filter(c -> c.category() == Category.DENIED_BY_RULE)
        .filter(c -> weakened.decide(c.cedar()) != scenario.portcullis(c))
        .count();

    assertThat(disagreements).as("requests denied by a rule that the weakened Cedar policy decides otherwise")
        .isPositive();
  }

  private static String describe(Case c) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("agent", c.call().agent().id());
    d.put("tool", c.tool().name());
    d.put("args", c.call().arguments());
    d.put("labels", c.call().session().labels());
    d.put("called", c.call().session().toolsCalled());
    d.put("calls", c.call().session().calls());
    d.put("category", c.category());
    return d.toString();
  }
}
