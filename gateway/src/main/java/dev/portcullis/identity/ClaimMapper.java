package dev.portcullis.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.policy.ClaimPath;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads agent id, roles, attributes and scopes out of claims as an {@link OidcAgentMapping} says. */
final class ClaimMapper {
  private ClaimMapper() {}

  /** The claim at {@code name}: the literal name first, else a dotted path through nested objects. */
  static Object claim(JWTClaimsSet claims, String name) {
    return new ClaimPath(name).read(claims.getClaims());
  }

  /** Strings of a JSON array claim, or of a space-separated string claim; null when the claim has another type. */
  static Set<String> strings(Object value) {
    if (value == null) {
      return Set.of();
    }
    if (value instanceof String s) {
      return s.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(s.trim().split("\\s+")));
    }
    if (value instanceof Collection<?> list) {
      Set<String> out = new LinkedHashSet<>();
      for (Object item : list) {
        if (!(item instanceof String s)) {
          return null;
        }
        out.add(s);
      }
      return out;
    }
    return null;
  }

  static Map<String, Object> attributes(JWTClaimsSet claims, Map<String, String> attributeClaims) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributeClaims.forEach((attribute, claim) -> {
      Object value = claim(claims, claim);
      if (value != null) {
        out.put(attribute, value);
      }
    });
    return out;
  }

  /** OAuth scopes from {@code scope} (RFC 9068, space-separated) or {@code scp} (array, common in the wild). */
  static Set<String> scopes(JWTClaimsSet claims) {
    Set<String> scope = strings(claims.getClaim("scope"));
    Set<String> scp = strings(claims.getClaim("scp"));
    Set<String> out = new LinkedHashSet<>();
    if (scope != null) {
      out.addAll(scope);
    }
    if (scp != null) {
      out.addAll(scp);
    }
    return out;
  }
}
