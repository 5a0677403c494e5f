package dev.portcullis.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One stored entry exactly as its columns hold it: plain text, numbers and canonical JSON text. The chain hash is
 * computed from these values, when writing and when verifying, by {@link #hash}.
 */
record Row(long seq, String prevHash, String hash, Content content) {
  static final String GENESIS = "0".repeat(64);

  /** Column names in hash order: the order of the hash input and of every INSERT and SELECT. */
  static final List<String> COLUMNS = List.of("seq", "prev_hash", "hash", "time", "request_id", "session", "agent",
      "actor_chain", "client_info", "protocol_version", "method", "tool", "arguments", "decision", "rule", "reason",
      "policy_version", "latency_us", "outcome", "result_excerpt", "result_sha256", "filtered", "extra");

  /** The content columns; every string already {@linkplain Canonical#storable storable}, JSON columns canonical. */
  record Content(
      String time,
      String requestId,
      String session,
      String agent,
      String actorChainJson,
      String clientInfoJson,
      String protocolVersion,
      String method,
      String tool,
      String argumentsJson,
      String decision,
      String rule,
      String reason,
      String policyVersion,
      long latencyMicros,
      String outcome,
      String resultExcerpt,
      String resultSha256,
      String filteredJson,
      String extraJson) {

    /**
     * The hash input after {@code "seq"} and {@code "prev_hash"}: the content as one JSON object's remaining members,
     * in column order. JSON columns are embedded as JSON strings, not as JSON, so no edit can move text from one
     * column into another and keep the same bytes. Built once, on the caller's thread.
     */
    byte[] body() {
      StringBuilder out = new StringBuilder(256 + argumentsJson.length() + extraJson.length());
      text(out, "time", time);
      text(out, "request_id", requestId);
      text(out, "session", session);
      text(out, "agent", agent);
      text(out, "actor_chain", actorChainJson);
      text(out, "client_info", clientInfoJson);
      text(out, "protocol_version", protocolVersion);
      text(out, "method", method);
      text(out, "tool", tool);
      text(out, "arguments", argumentsJson);
      text(out, "decision", decision);
      text(out, "rule", rule);
      text(out, "reason", reason);
      text(out, "policy_version", policyVersion);
      raw(out, "latency_us", Long.toString(latencyMicros));
      text(out, "outcome", outcome);
      text(out, "result_excerpt", resultExcerpt);
      text(out, "result_sha256", resultSha256);
      text(out, "filtered", filteredJson);
      text(out, "extra", extraJson);
      out.setCharAt(out.length() - 1, '}');
      return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void text(StringBuilder out, String key, String value) {
      out.append('"').append(key).append("\":");
      Canonical.escape(value, out);
      out.append(',');
    }

    private static void raw(StringBuilder out, String key, String json) {
      out.append('"').append(key).append("\":").append(json).append(',');
    }
  }

  /** SHA-256 over {@code {"v":1,"seq":N,"prev_hash":"…",} + body}, lower-case hex. */
  static String hash(MessageDigest sha256, long seq, String prevHash, byte[] body) {
    sha256.reset();
    sha256.update(("{\"v\":1,\"seq\":" + seq + ",\"prev_hash\":\"" + prevHash + "\",")
        .getBytes(StandardCharsets.US_ASCII));
    sha256.update(body);
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** The hash this row's columns give, to compare with the stored {@link #hash()}. */
  String recomputedHash(MessageDigest sha256) {
    return hash(sha256, seq, prevHash, content.body());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no SHA-256", e);
    }
  }
}
