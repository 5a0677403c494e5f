package dev.portcullis.verifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Reads the nested RFC 8693 {@code act} claim into a list, root delegator first and immediate parent last. */
record ActorChain(List<String> actors, String error) {
  static final int MAX_DEPTH = 16;

  static ActorChain parse(Object act) {
    List<String> mostRecentFirst = new ArrayList<>();
    Object current = act;
    while (current != null) {
      if (!(current instanceof Map<?, ?> map) || !(map.get("sub") instanceof String sub)) {
        return new ActorChain(List.of(), "the act claim must be an object with a string sub (RFC 8693 4.1)");
      }
      if (mostRecentFirst.size() == MAX_DEPTH) {
        return new ActorChain(List.of(), "the act claim nests deeper than " + MAX_DEPTH + " delegations");
      }
      mostRecentFirst.add(sub);
      current = map.get("act");
    }
    Collections.reverse(mostRecentFirst);
    return new ActorChain(List.copyOf(mostRecentFirst), null);
  }
}
