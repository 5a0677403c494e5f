package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.verifier.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tree walk must give every argument tree the gateway can forward the hash (or the refusal) that the text path
 * gives: {@code CanonicalJson.sha256(Json.write(tree))}, what the tool server computes from the text it receives.
 */
class ArgumentsHashTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The hash by the text path, or the refusal as class and message. */
  static String viaText(JsonNode tree) {
    try {
      return CanonicalJson.sha256(Json.write(tree));
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  static String viaTree(JsonNode tree) {
    try {
      return ArgumentsHash.of(tree);
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  void hashesThousandsOfGeneratedObjectsAsTheTextPathDoes() throws Exception {
    RandomJson random = new RandomJson(20261128);
    int walked = 0;
    int total = 5_000;
    for (int i = 0; i < total; i++) {
      String text = random.object();
      JsonNode tree = Json.MAPPER.readTree(text); // as the gateway parses a request
      String canonical = ArgumentsHash.canonical(tree);
      if (canonical != null) {
        walked++;
        assertThat(canonical).as(text).isEqualTo(CanonicalJson.canonicalize(Json.write(tree)));
      }
      assertThat(viaTree(tree)).as(text).isEqualTo(viaText(tree));
    }
    assertThat(walked).as("objects hashed by the walk itself, not handed to the text path").isGreaterThan(total * 9 / 10);
  }

  @Test
  void readsEveryJacksonNumberNodeAsTheTextPathDoes() {
    List<JsonNode> numbers = List.of(NODES.numberNode(0), NODES.numberNode(-0.0), NODES.numberNode(0.0),
        NODES.numberNode((short) -7), NODES.numberNode(Integer.MIN_VALUE), NODES.numberNode(Long.MAX_VALUE),
        NODES.numberNode(Long.MIN_VALUE), NODES.numberNode((1L << 53) + 1), NODES.numberNode(0.1),
        NODES.numberNode(1e21), NODES.numberNode(1e-7), NODES.numberNode(Double.MIN_VALUE),
        NODES.numberNode(Double.MAX_VALUE), NODES.numberNode(Double.NaN), NODES.numberNode(Double.POSITIVE_INFINITY),
        NODES.numberNode(Double.NEGATIVE_INFINITY), NODES.numberNode(1.1f), NODES.numberNode(Float.NaN),
        NODES.numberNode(BigInteger.TEN), NODES.numberNode(new BigInteger("9".repeat(40))),
        NODES.numberNode(BigInteger.TEN.pow(400).negate()), NODES.numberNode(new BigDecimal("0.1")),
        NODES.numberNode(new BigDecimal("1E+400")), NODES.numberNode(new BigDecimal("-0.000")),
        NODES.numberNode(new BigDecimal("123456789.123456789123456789")));
    for (JsonNode number : numbers) {
      ObjectNode tree = NODES.objectNode();
      tree.set("n", number);
      tree.putArray("in").add(number);
      assertThat(viaTree(tree)).as(number.getClass().getSimpleName() + " " + number).isEqualTo(viaText(tree));
    }
  }

  @Test
  void otherNodeTypesAndValuesThatAreNotObjectsGoTheTextPath() {
    ObjectNode binary = NODES.objectNode();
    binary.put("bytes", new byte[] {1, 2, 3});
    ObjectNode pojo = NODES.objectNode();
    pojo.putPOJO("p", Map.of("b", 1));
    for (JsonNode tree : List.of(binary, pojo, NODES.arrayNode().add(1), NODES.textNode("{}"), NODES.numberNode(1),
        NODES.booleanNode(true))) {
      assertThat(ArgumentsHash.canonical(tree)).as(tree.toString()).isNull();
      assertThat(viaTree(tree)).as(tree.toString()).isEqualTo(viaText(tree));
    }
  }

  @Test
  void missingArgumentsHashAsTheEmptyObject() {
    String empty = CanonicalJson.sha256("{}");
    assertThat(ArgumentsHash.of(null)).isEqualTo(empty);
    assertThat(ArgumentsHash.of(MissingNode.getInstance())).isEqualTo(empty);
    assertThat(ArgumentsHash.of(NullNode.getInstance())).isEqualTo(empty);
    assertThat(ArgumentsHash.of(NODES.objectNode())).isEqualTo(empty);
  }

  @Test
  void deepNestingIsHashedOrRefusedAsTheTextPathDoes() {
    for (int depth : new int[] {2, 127, 128, 129, 200, 255, 256, 300}) {
      ObjectNode root = NODES.objectNode();
      ArrayNode inner = root.putArray("a"); // depth 2
      for (int i = 2; i < depth; i++) {
        inner = i % 2 == 0 ? inner.addArray() : inner.addObject().putArray("x");
      }
      assertThat(viaTree(root)).as("depth " + depth).isEqualTo(viaText(root));
    }
  }

  @Test
  void argumentsNearTheSizeLimitAreHashedOrRefusedAsTheTextPathDoes() {
    int max = CanonicalJson.MAX_ARGUMENTS_CHARS;
    for (String text : List.of("x".repeat(max / 3 - 20), "x".repeat(max - 100), "x".repeat(max - 8),
        "x".repeat(max - 7), "\u0001".repeat(max / 6), "\u0001".repeat(max / 6 - 2), "\"".repeat(max / 2))) {
      ObjectNode tree = NODES.objectNode().put("s", text);
      assertThat(viaTree(tree)).as(text.length() + " × U+%04X", (int) text.charAt(0)).isEqualTo(viaText(tree));
    }
    ObjectNode manyNumbers = NODES.objectNode();
    ArrayNode items = manyNumbers.putArray("n");
    for (int i = 0; i < max / 20; i++) {
      items.add(1e20 + i * 1e5); // 21 characters in canonical form, 6 to 22 as Jackson writes them
    }
    assertThat(viaTree(manyNumbers)).isEqualTo(viaText(manyNumbers));
  }
}
