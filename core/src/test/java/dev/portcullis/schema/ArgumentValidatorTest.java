package dev.portcullis.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.Limits;
import dev.portcullis.json.Json;
import dev.portcullis.model.Tool;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentValidatorTest {
  static final ArgumentValidator STRICT = new ArgumentValidator(Limits.DEFAULTS, name -> false);

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Tool tool(String schema) {
    ObjectNode def = Json.object().put("name", "refund");
    def.set("inputSchema", json(schema));
    return new Tool("acme.refund", "acme", "refund", def, Set.of(), Integer.toHexString(schema.hashCode()));
  }

  static final Tool REFUND = tool("""
      {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0}, "reason": {"type": "string"}},
       "required": ["amount"]}
      """);

  @Test
  void validArgumentsPass() {
    assertThat(STRICT.validate(REFUND, json("{\"amount\": 10, \"reason\": \"broken\"}"))).isEmpty();
  }

  @Test
  void undeclaredParameterIsRefusedEvenWhenTheSchemaWouldAllowIt() {
    Optional<Violation> v = STRICT.validate(REFUND, json("{\"amount\": 10, \"account\": \"other\"}"));
    assertThat(v).get().extracting(Violation::path, Violation::keyword, Violation::value)
        .containsExactly("account", "additionalProperties", "\"other\"");
    assertThat(v.get().message()).isEqualTo("parameter 'account' is not declared by acme.refund; declared parameters: "
        + "amount, reason. Remove it and call again.");
  }

  @Test
  void policyCanOptAToolOutOfTheUndeclaredParameterCheck() {
    ArgumentValidator open = new ArgumentValidator(Limits.DEFAULTS, name -> name.equals("acme.refund"));
    assertThat(open.validate(REFUND, json("{\"amount\": 10, \"account\": \"other\"}"))).isEmpty();
  }

  @Test
  void typeConfusionIsRefusedWithPathAndValue() {
    Violation v = STRICT.validate(REFUND, json("{\"amount\": \"10\"}")).orElseThrow();
    assertThat(v.path()).isEqualTo("amount");
    assertThat(v.keyword()).isEqualTo("type");
    assertThat(v.value()).isEqualTo("\"10\"");
    assertThat(v.message()).isEqualTo("argument 'amount' (\"10\") of acme.refund violates the tool's input schema: "
        + "string found, number expected; fix the value and call again");
  }

  @Test
  void missingRequiredArgumentIsRefused() {
    assertThat(STRICT.validate(REFUND, json("{}"))).get().extracting(Violation::keyword).isEqualTo("required");
  }

  @Test
  void argumentsMustBeAnObject() {
    assertThat(STRICT.validate(REFUND, json("[1,2]"))).get().extracting(Violation::keyword).isEqualTo("type");
    assertThat(STRICT.validate(tool("{\"type\":\"object\"}"), null)).isEmpty();
  }

  @Test
  void draft07SchemasAndLocalRefsAreUnderstood() {
    Tool t = tool("""
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "definitions": {"email": {"type": "string", "pattern": "@"}},
         "properties": {"to": {"$ref": "#/definitions/email"}}}
        """);
    assertThat(STRICT.validate(t, json("{\"to\": \"a@b\"}"))).isEmpty();
    assertThat(STRICT.validate(t, json("{\"to\": \"nobody\"}"))).get().extracting(Violation::keyword)
        .isEqualTo("pattern");
  }

  @Test
  void schema2020RefsIntoDefsAreResolved() {
    Tool t = tool("""
        {"type": "object", "$defs": {"n": {"type": "integer", "maximum": 5}},
         "properties": {"n": {"$ref": "#/$defs/n"}}}
        """);
    assertThat(STRICT.validate(t, json("{\"n\": 5}"))).isEmpty();
    assertThat(STRICT.validate(t, json("{\"n\": 6}"))).get().extracting(Violation::keyword).isEqualTo("maximum");
  }

  @Test
  void remoteRefsAreNeverFetchedAndTheToolCannotBeCalled() throws Exception {
    java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      hits.incrementAndGet();
      byte[] body = "{\"type\": \"integer\"}".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Tool t = tool("{\"type\": \"object\", \"properties\": {\"x\": {\"$ref\": \"http://127.0.0.1:"
          + server.getAddress().getPort() + "/evil.json\"}}}");
      Optional<Violation> v = STRICT.validate(t, json("{\"x\": 1}"));
      assertThat(v).isPresent();
      assertThat(hits.get()).isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void structuralLimitsApplyBeforeTheSchema() {
    ArgumentValidator tight = new ArgumentValidator(new Limits(10_000, 3, 20, 5, Duration.ofSeconds(1)), n -> true);
    Tool any = tool("{\"type\": \"object\"}");
    assertThat(tight.validate(any, json("{\"a\": {\"b\": {\"c\": {}}}}"))).get()
        .extracting(Violation::keyword, Violation::path).containsExactly("maxDepth", "a.b.c");
    assertThat(tight.validate(any, json("{\"a\": {\"b\": {\"c\": 1}}}"))).isEmpty();
    assertThat(tight.validate(any, json("{\"s\": \"" + "x".repeat(21) + "\"}"))).get()
        .extracting(Violation::keyword).isEqualTo("maxStringLength");
    assertThat(tight.validate(any, json("{\"" + "k".repeat(21) + "\": 1}"))).get()
        .extracting(Violation::keyword).isEqualTo("maxStringLength");
    assertThat(tight.validate(any, json("{\"list\": [1,2,3,4,5,6]}"))).get()
        .extracting(Violation::keyword, Violation::path).containsExactly("maxArrayItems", "list");
    ArgumentValidator small = new ArgumentValidator(new Limits(100, 30, 1000, 1000, Duration.ofSeconds(1)), n -> true);
    assertThat(small.validate(any, json("{\"a\": \"" + "x".repeat(60) + "\", \"b\": \"" + "y".repeat(60) + "\"}")))
        .get().extracting(Violation::keyword).isEqualTo("maxSize");
  }

  @Test
  void invalidToolSchemaFailsClosed() {
    Tool broken = tool("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": 12}}}");
    Optional<Violation> v = STRICT.validate(broken, json("{\"a\": 1}"));
    assertThat(v).isPresent();
  }
}
