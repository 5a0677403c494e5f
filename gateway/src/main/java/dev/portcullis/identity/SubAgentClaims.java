package dev.portcullis.identity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The claims of a Portcullis sub-agent access token, shared by the exchange that mints it and the validator. */
final class SubAgentClaims {
  /** The JOSE {@code typ} of sub-agent access tokens; per-call tokens use another, so the two never mix. */
  static final String TYPE = "portcullis-agent+jwt";
  static final String ROLES = "roles";
  static final String TOOLS = "tools";
  static final String ATTRIBUTES = "attrs";
  static final String VERSION = "ver";
  static final String SCOPE = "scope";
  static final String ACT = "act";
  /** The credential of the task the sub-agent works for (the root agent's): per-credential state is shared by it. */
  static final String TASK = "task";
  static final int MAX_DEPTH_PARSED = 16;

  private SubAgentClaims() {}

  /** The chain root first (the reverse of {@code TokenIssuer.actClaim}), or null when {@code act} is not a well-formed nested actor claim. */
  static List<String> chain(Object act) {
    List<String> mostRecentFirst = new ArrayList<>();
    Object current = act;
    while (current != null) {
      if (!(current instanceof Map<?, ?> map) || !(map.get("sub") instanceof String sub)
          || mostRecentFirst.size() == MAX_DEPTH_PARSED) {
        return null;
      }
      mostRecentFirst.add(sub);
      current = map.get("act");
    }
    Collections.reverse(mostRecentFirst);
    return List.copyOf(mostRecentFirst);
  }
}
