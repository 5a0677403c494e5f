package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCheckTest {
  static final Policy POLICY = PolicyLoader.fromText("catalog.yaml", """
      version: 1
      upstreams:
        acme: { command: [demo] }
      tools:
        acme.crm_search: { labels: [private_data] }
        acme.crm_serch: { labels: [private_data] }
      agents:
        a: { roles: [r] }
      roles:
        r:
          grants:
            - { id: ok, tools: [acme.crm_search, "acme.files_*"] }
            - { id: typo, tools: [acme.tickets_reed] }
            - { id: nothing, tools: ["acme.billing_*"] }
      """);

  @Test
  void unknownToolFactsAreErrorsAndDeadGrantPatternsAreWarnings() {
    List<Problem> problems = POLICY.checkCatalog(List.of(tool("acme.crm_search"), tool("acme.tickets_read"),
        tool("acme.files_read")));
    assertThat(problems).filteredOn(Problem::isError).singleElement().satisfies(p -> {
      assertThat(p.message()).isEqualTo("tools: 'acme.crm_serch' is not offered by any upstream");
      assertThat(p.hint()).isEqualTo("did you mean 'acme.crm_search'?");
      assertThat(p.mark().line()).isEqualTo(6);
    });
    assertThat(problems).filteredOn(p -> !p.isError()).extracting(Problem::message).containsExactlyInAnyOrder(
        "grant typo (role r) names tool pattern 'acme.tickets_reed', which matches no tool of the catalog",
        "grant nothing (role r) names tool pattern 'acme.billing_*', which matches no tool of the catalog");
  }

  @Test
  void aMatchingCatalogHasNoProblems() {
    Policy clean = PolicyLoader.fromText("clean.yaml", """
        version: 1
        tools:
          acme.x: { labels: [private_data] }
        agents:
          a: { roles: [r] }
        roles:
          r: { grants: [ { id: g, tools: ["acme.*"] } ] }
        """);
    assertThat(clean.checkCatalog(List.of(tool("acme.x")))).isEmpty();
  }
}
