package dev.portcullis.testing.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.kit.Json;
import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.Reply;
import java.util.List;

/** crm_search, crm_get, crm_delete over acme's customers (private data: card numbers and SSNs). */
final class CrmTools {
  private static final String CUSTOMER_SCHEMA = """
      {"type": "object", "additionalProperties": false,
       "required": ["id", "name", "email", "region", "card_number", "ssn"],
       "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "email": {"type": "string"},
                      "region": {"type": "string", "enum": ["EU", "US", "APAC"]},
                      "card_number": {"type": "string"}, "ssn": {"type": "string"}}}""";

  private CrmTools() {}

  static void register(McpFixture.Builder builder, AcmeData data) {
    builder.tool("""
        {"name": "crm_search",
         "title": "Search customers",
         "description": "Searches acme's customers by name, email or id (case-insensitive substring; an empty query matches everyone), optionally in one region. Returns full customer records including card_number and ssn.",
         "inputSchema": {"type": "object", "additionalProperties": false, "required": ["query"],
           "properties": {
             "query": {"type": "string", "maxLength": 200, "description": "Text to find in name or email, or a customer id"},
             "region": {"type": "string", "enum": ["EU", "US", "APAC"], "description": "Only customers of this region"}}},
         "outputSchema": {"type": "object", "additionalProperties": false, "required": ["customers"],
           "properties": {"customers": {"type": "array", "items": %s}}},
         "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}}
        """.formatted(CUSTOMER_SCHEMA), request -> {
      String region = request.arguments().hasNonNull("region") ? request.arguments().get("region").asText() : null;
      List<AcmeData.Customer> found = data.search(request.arguments().path("query").asText(), region);
      ObjectNode structured = Json.object();
      ArrayNode customers = structured.putArray("customers");
      found.forEach(c -> customers.add(c.toJson()));
      return structured(structured);
    });
    builder.tool("""
        {"name": "crm_get",
         "title": "Get a customer",
         "description": "Returns one customer record by id (C001 to C020), including card_number and ssn.",
         "inputSchema": {"type": "object", "additionalProperties": false, "required": ["id"],
           "properties": {"id": {"type": "string", "pattern": "^C[0-9]{3}$", "description": "Customer id, e.g. C007"}}},
         "outputSchema": {"type": "object", "additionalProperties": false, "required": ["customer"],
           "properties": {"customer": %s}},
         "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}}
        """.formatted(CUSTOMER_SCHEMA), request -> {
      String id = request.arguments().path("id").asText();
      return data.customer(id)
          .map(c -> {
            ObjectNode structured = Json.object();
            structured.set("customer", c.toJson());
            return structured(structured);
          })
          .orElseGet(() -> Reply.toolError("No customer with id " + id + "; crm_search lists the ids"));
    });
    builder.tool("""
        {"name": "crm_delete",
         "title": "Delete a customer",
         "description": "Permanently deletes a customer record (for erasure requests). Cannot be undone.",
         "inputSchema": {"type": "object", "additionalProperties": false, "required": ["id"],
           "properties": {"id": {"type": "string", "pattern": "^C[0-9]{3}$", "description": "Customer id, e.g. C004"}}},
         "annotations": {"readOnlyHint": false, "destructiveHint": true, "idempotentHint": true, "openWorldHint": false}}
        """, request -> {
      String id = request.arguments().path("id").asText();
      if (!data.delete(id)) {
        return Reply.toolError("No customer with id " + id + " (already deleted?)");
      }
      return structured(Json.object().put("deleted", id));
    });
  }

  /** A result with structuredContent and the same JSON as text content (for clients that ignore structure). */
  static Reply structured(ObjectNode structured) {
    ObjectNode result = Json.textContent(Json.write(structured));
    result.set("structuredContent", structured);
    return Reply.complete(result);
  }
}
