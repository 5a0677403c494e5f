package dev.portcullis.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Where the catalog learns what one upstream offers: its paginated lists. */
public interface CatalogSource {
  /** The upstream's name in the policy file. */
  String name();

  /** The prefix its tools and prompts get in the catalog ({@code "acme."}; may be empty). */
  String prefix();

  /** Whether the upstream offers a capability ({@code tools}, {@code prompts}, {@code resources}). */
  boolean offers(String capability);

  /** Every item of a list method, all pages followed ({@code tools/list} → {@code tools}). */
  List<ObjectNode> list(String method, String itemsField) throws Exception;
}
