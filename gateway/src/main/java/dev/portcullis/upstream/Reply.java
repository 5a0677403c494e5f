package dev.portcullis.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * What an upstream answered to one request: its {@code result} object or its JSON-RPC {@code error} object, exactly
 * as the upstream sent them (unknown fields and {@code _meta} included). A {@code result} with
 * {@code resultType: "input_required"} (2026 wire) is a {@link Result} too: the caller decides what to do with it.
 */
public sealed interface Reply {

  /** A successful answer: the JSON-RPC {@code result} member. */
  record Result(ObjectNode result) implements Reply {
    public Result {
      Objects.requireNonNull(result, "result");
    }
  }

  /** A JSON-RPC error answer: the {@code error} member with {@code code}, {@code message} and optional {@code data}. */
  record Error(ObjectNode error) implements Reply {
    public Error {
      Objects.requireNonNull(error, "error");
    }

    /** The error code, or {@code 0} when the upstream sent none (a malformed error). */
    public int code() {
      return error.path("code").asInt(0);
    }

    public String message() {
      return error.path("message").asText("");
    }

    public Optional<JsonNode> data() {
      return Optional.ofNullable(error.get("data"));
    }
  }

  static Reply result(ObjectNode result) {
    return new Result(result);
  }

  static Reply error(int code, String message) {
    ObjectNode error = Json.object();
    error.put("code", code);
    error.put("message", message);
    return new Error(error);
  }
}
