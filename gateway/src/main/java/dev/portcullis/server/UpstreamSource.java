package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.catalog.CatalogSource;
import dev.portcullis.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;

/** Lets the catalog read an upstream's lists. */
final class UpstreamSource implements CatalogSource {
  private final Upstream upstream;
  private final String prefix;

  UpstreamSource(Upstream upstream, String prefix) {
    this.upstream = upstream;
    this.prefix = prefix;
  }

  @Override
  public String name() {
    return upstream.name();
  }

  @Override
  public String prefix() {
    return prefix;
  }

  @Override
  public boolean offers(String capability) {
    return upstream.info().capabilities().has(capability);
  }

  @Override
  public List<ObjectNode> list(String method, String itemsField) throws Exception {
    List<ObjectNode> items = new ArrayList<>();
    for (JsonNode item : upstream.listAll(method, itemsField)) {
      if (item instanceof ObjectNode o) {
        items.add(o);
      }
    }
    return items;
  }
}
