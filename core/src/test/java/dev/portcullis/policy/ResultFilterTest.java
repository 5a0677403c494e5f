package dev.portcullis.policy;

import static dev.portcullis.policy.Fixtures.agent;
import static dev.portcullis.policy.Fixtures.call;
import static dev.portcullis.policy.Fixtures.json;
import static dev.portcullis.policy.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.ResultFilter;
import org.junit.jupiter.api.Test;

class ResultFilterTest {
  static final Policy POLICY = PolicyLoader.fromText("filters.yaml", """
      version: 1
      agents:
        eu-bot: { roles: [support], attributes: { region: EU } }
      roles:
        support:
          grants:
            - id: read-customers
              tools: [acme.crm_search, acme.crm_get]
              filter:
                rows: item.region == agent.attributes.region
                redact: [card_number, ssn]
                mask: { phone: { keep_last: 4 } }
            - id: tickets
              tools: [acme.tickets_read]
      """);

  static Call crmCall() {
    return call(agent(POLICY, "eu-bot"), "acme.crm_search", "{\"query\": \"a\"}");
  }

  static ResultFilter filter(String toolName) {
    Decision d = POLICY.decide(call(agent(POLICY, "eu-bot"), toolName, "{}"), tool(toolName));
    return ((Decision.Allow) d).filter().orElseThrow();
  }

  @Test
  void dropsRowsOfOtherRegionsAndRedactsFieldsInStructuredContent() {
    JsonNode result = json("""
        {"content": [], "structuredContent": {"customers": [
          {"id": 1, "region": "EU", "card_number": "4111", "phone": "+49301234567"},
          {"id": 2, "region": "US", "card_number": "5500"},
          {"id": 3, "region": "EU", "profile": {"ssn": "123-45-6789"}}]}}
        """);
    ResultFilter.FilterReport report = filter("acme.crm_search").apply(result, crmCall());
    assertThat(result.at("/structuredContent/customers")).hasSize(2);
    assertThat(result.at("/structuredContent/customers/0/card_number").asText()).isEqualTo("[redacted]");
    assertThat(result.at("/structuredContent/customers/0/phone").asText()).isEqualTo("********4567");
    assertThat(result.at("/structuredContent/customers/1/profile/ssn").asText()).isEqualTo("[redacted]");
    assertThat(report.rowsRemoved()).isEqualTo(1);
    assertThat(report.fieldsRedacted()).containsExactly("customers[0].card_number", "customers[0].phone",
        "customers[1].profile.ssn");
  }

  @Test
  void filtersJsonInTextContentToo() {
    JsonNode result = json("""
        {"content": [
          {"type": "text", "text": "[{\\"region\\": \\"US\\", \\"name\\": \\"Bob\\"}, {\\"region\\": \\"EU\\", \\"ssn\\": \\"1\\"}]"},
          {"type": "text", "text": "2 customers found"}]}
        """);
    ResultFilter.FilterReport report = filter("acme.crm_search").apply(result, crmCall());
    JsonNode rows = json(result.at("/content/0/text").asText());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("ssn").asText()).isEqualTo("[redacted]");
    assertThat(result.at("/content/1/text").asText()).isEqualTo("2 customers found");
    assertThat(report.rowsRemoved()).isEqualTo(1);
  }

  @Test
  void aSingleRecordOfAnotherRegionIsEmptied() {
    JsonNode result = json("{\"structuredContent\": {\"id\": 2, \"region\": \"US\", \"name\": \"Bob\"}}");
    ResultFilter.FilterReport report = filter("acme.crm_get").apply(result, crmCall());
    assertThat(result.get("structuredContent").isEmpty()).isTrue();
    assertThat(report.rowsRemoved()).isEqualTo(1);
    JsonNode own = json("{\"structuredContent\": {\"id\": 1, \"region\": \"EU\", \"name\": \"Ana\"}}");
    assertThat(filter("acme.crm_get").apply(own, crmCall())).isEqualTo(ResultFilter.FilterReport.NONE);
    assertThat(own.at("/structuredContent/name").asText()).isEqualTo("Ana");
  }

  @Test
  void aRecordUnderAFieldIsARowToo() {
    JsonNode other = json("{\"structuredContent\": {\"customer\": {\"id\": 2, \"region\": \"US\"}}}");
    assertThat(filter("acme.crm_get").apply(other, crmCall()).rowsRemoved()).isEqualTo(1);
    assertThat(other.get("structuredContent").has("customer")).isFalse();
    JsonNode own = json("{\"structuredContent\": {\"customer\": {\"id\": 1, \"region\": \"EU\", \"ssn\": \"9\"}}}");
    assertThat(filter("acme.crm_get").apply(own, crmCall()).fieldsRedacted()).containsExactly("customer.ssn");
    assertThat(own.at("/structuredContent/customer/region").asText()).isEqualTo("EU");
  }

  @Test
  void aRowWhoseConditionCannotBeEvaluatedIsDropped() {
    JsonNode result = json("{\"structuredContent\": {\"customers\": [{\"id\": 1}, {\"id\": 2, \"region\": \"EU\"}]}}");
    ResultFilter.FilterReport report = filter("acme.crm_search").apply(result, crmCall());
    assertThat(result.at("/structuredContent/customers")).hasSize(1);
    assertThat(report.rowsRemoved()).isEqualTo(1);
  }

  @Test
  void grantsWithoutAFilterAllowWithoutOne() {
    Decision d = POLICY.decide(call(agent(POLICY, "eu-bot"), "acme.tickets_read", "{}"), tool("acme.tickets_read"));
    assertThat(((Decision.Allow) d).filter()).isEmpty();
  }

  @Test
  void filterOnANonAllowGrantIsALoadError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyLoader.fromText("f.yaml", """
        version: 1
        roles:
          r:
            grants:
              - { id: g, effect: deny, tools: [a.b], filter: { redact: [x] } }
        """)).hasMessageContaining("only allow grants can filter results");
  }
}
