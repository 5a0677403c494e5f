package dev.portcullis.token;

import dev.portcullis.verifier.PerCallClaims;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The JSON claims of a per-call token, written straight to text. They used to go through Nimbus' {@code JWTClaimsSet}
 * (a map of claims, a second map, then Gson); this writes the same claims with the same JSON types: {@code aud} a
 * single string, {@code iat} and {@code exp} whole seconds, {@code act} nested with the immediate parent outermost, and
 * strings escaped as Gson escapes them (U+2028 and U+2029 included, HTML characters not). Only the member order
 * differs, which JSON readers ignore: Nimbus wrote them in its HashMap's order, here they come in the order above.
 */
final class PerCallPayload {
  private PerCallPayload() {}

  /**
   * The claims as UTF-8 JSON.
   *
   * @param actorChain delegators, root first (see {@link TokenIssuer#actClaim}); empty for none
   * @param issuedAtMillis and {@code expiresAtMillis}: written as seconds, truncated as {@code java.util.Date} was
   */
  static byte[] json(String issuer, String subject, String audience, String scope, String argsHash, String jti,
      long issuedAtMillis, long expiresAtMillis, List<String> actorChain) {
    StringBuilder out = new StringBuilder(320);
    out.append('{');
    member(out, "iss", issuer).append(',');
    member(out, "sub", subject).append(',');
    member(out, "aud", audience).append(',');
    member(out, PerCallClaims.SCOPE, scope).append(',');
    member(out, PerCallClaims.ARGS_HASH, argsHash).append(',');
    member(out, "jti", jti);
    out.append(",\"iat\":").append(issuedAtMillis / 1000);
    out.append(",\"exp\":").append(expiresAtMillis / 1000);
    for (int i = actorChain.size() - 1; i >= 0; i--) {
      out.append(",\"").append(PerCallClaims.ACT).append("\":{");
      member(out, "sub", Objects.requireNonNull(actorChain.get(i), "actor"));
    }
    out.append("}".repeat(actorChain.size())).append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder member(StringBuilder out, String name, String value) {
    out.append('"').append(name).append("\":");
    return string(out, value);
  }

  /** A JSON string as Gson writes it (without HTML escaping, as Nimbus configures it). */
  static StringBuilder string(StringBuilder out, String s) {
    out.append('"');
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
        continue;
      }
      String escape = switch (c) {
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case '\t' -> "\\t";
        case '\b' -> "\\b";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\f' -> "\\f";
        case '\u2028' -> "\\u2028";
        case '\u2029' -> "\\u2029";
        default -> String.format("\\u%04x", (int) c);
      };
      out.append(s, run, i).append(escape);
      run = i + 1;
    }
    return out.append(s, run, s.length()).append('"');
  }
}
