package dev.portcullis.catalog;

import java.util.Optional;

/** Something in the catalog changed: a list, or one resource. Fronts turn it into list-changed notifications. */
public record Change(Kind kind, Optional<String> uri) {
  public enum Kind {
    TOOLS("notifications/tools/list_changed", "toolsListChanged"),
    PROMPTS("notifications/prompts/list_changed", "promptsListChanged"),
    RESOURCES("notifications/resources/list_changed", "resourcesListChanged"),
    RESOURCE_UPDATED("notifications/resources/updated", "resourceSubscriptions");

    private final String method;
    private final String filterKey;

    Kind(String method, String filterKey) {
      this.method = method;
      this.filterKey = filterKey;
    }

    /** The notification method clients receive. */
    public String method() {
      return method;
    }

    /** The {@code subscriptions/listen} filter field that opts in to it. */
    public String filterKey() {
      return filterKey;
    }
  }

  public static Change of(Kind kind) {
    return new Change(kind, Optional.empty());
  }

  public static Change updated(String uri) {
    return new Change(Kind.RESOURCE_UPDATED, Optional.of(uri));
  }
}
