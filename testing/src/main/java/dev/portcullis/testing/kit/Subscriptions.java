package dev.portcullis.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Change notifications: 2026-wire {@code subscriptions/listen} streams (filtered, tagged with the subscription id) and
 * the standalone streams of 2025-wire sessions.
 */
final class Subscriptions {

  /** Somewhere a message can be sent: an SSE stream or the stdio channel. */
  interface Sink {
    /** Sends one message; false when the peer is gone. */
    boolean send(ObjectNode message);

    default void close() {}
  }

  record Listener(JsonNode subscriptionId, boolean tools, boolean prompts, boolean resources, Set<String> uris,
                  Sink sink) {}

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  final Set<Session> sessions = ConcurrentHashMap.newKeySet();

  /**
   * Opens a listen subscription: validates the filter, sends the acknowledgement (the honoured subset) first, then
   * registers the listener.
   */
  Listener open(JsonNode requestId, ObjectNode params, Catalog catalog, Sink sink) {
    JsonNode filter = params.get("notifications");
    if (filter == null || !filter.isObject()) {
      throw McpError.invalidParams("subscriptions/listen needs params.notifications, an object such as "
          + "{\"toolsListChanged\": true}");
    }
    boolean tools = filter.path("toolsListChanged").asBoolean(false) && !catalog.tools.isEmpty();
    boolean prompts = filter.path("promptsListChanged").asBoolean(false) && !catalog.prompts.isEmpty();
    boolean hasResources = !catalog.resources.isEmpty() || !catalog.templates.isEmpty();
    boolean resources = filter.path("resourcesListChanged").asBoolean(false) && hasResources;
    Set<String> uris = new LinkedHashSet<>();
    JsonNode requested = filter.path("resourceSubscriptions");
    if (!requested.isMissingNode() && !requested.isArray()) {
      throw McpError.invalidParams("notifications.resourceSubscriptions must be an array of resource URIs");
    }
    if (hasResources) {
      requested.forEach(uri -> uris.add(uri.asText()));
    }
    ObjectNode honoured = Json.object();
    if (tools) {
      honoured.put("toolsListChanged", true);
    }
    if (prompts) {
      honoured.put("promptsListChanged", true);
    }
    if (resources) {
      honoured.put("resourcesListChanged", true);
    }
    if (!uris.isEmpty()) {
      uris.forEach(honoured.putArray("resourceSubscriptions")::add);
    }
    ObjectNode ack = notification("notifications/subscriptions/acknowledged", requestId);
    ((ObjectNode) ack.get("params")).set("notifications", honoured);
    Listener listener = new Listener(requestId, tools, prompts, resources, Set.copyOf(uris), sink);
    // Under the publishing lock: nothing is published between the acknowledgement and the registration.
    synchronized (this) {
      if (sink.send(ack)) {
        listeners.add(listener);
      }
    }
    return listener;
  }

  void close(Listener listener) {
    listeners.remove(listener);
  }

  Collection<Listener> listeners() {
    return List.copyOf(listeners);
  }

  void toolsChanged() {
    publish("notifications/tools/list_changed", Listener::tools);
  }

  void promptsChanged() {
    publish("notifications/prompts/list_changed", Listener::prompts);
  }

  void resourcesChanged() {
    publish("notifications/resources/list_changed", Listener::resources);
  }

  void resourceUpdated(String uri) {
    synchronized (this) {
      for (Listener listener : listeners) {
        if (listener.uris().contains(uri)) {
          ObjectNode message = notification("notifications/resources/updated", listener.subscriptionId());
          ((ObjectNode) message.get("params")).put("uri", uri);
          deliver(listener, message);
        }
      }
    }
    for (Session session : sessions) {
      if (session.subscribedUris.contains(uri)) {
        ObjectNode message = Json.object().put("jsonrpc", "2.0").put("method", "notifications/resources/updated");
        message.putObject("params").put("uri", uri);
        session.sendStandalone(message);
      }
    }
  }

  private void publish(String method, java.util.function.Predicate<Listener> wants) {
    synchronized (this) {
      for (Listener listener : listeners) {
        if (wants.test(listener)) {
          deliver(listener, notification(method, listener.subscriptionId()));
        }
      }
    }
    for (Session session : sessions) {
      session.sendStandalone(Json.object().put("jsonrpc", "2.0").put("method", method));
    }
  }

  private void deliver(Listener listener, ObjectNode message) {
    if (!listener.sink().send(message)) {
      listeners.remove(listener);
    }
  }

  private static ObjectNode notification(String method, JsonNode subscriptionId) {
    ObjectNode message = Json.object().put("jsonrpc", "2.0").put("method", method);
    message.putObject("params").putObject("_meta").set("io.modelcontextprotocol/subscriptionId", subscriptionId);
    return message;
  }
}
