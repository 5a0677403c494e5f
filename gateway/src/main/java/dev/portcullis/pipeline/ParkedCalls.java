package dev.portcullis.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.json.Json;
import dev.portcullis.mcp.McpError;
import dev.portcullis.upstream.CallContext;
import dev.portcullis.upstream.Cancellation;
import dev.portcullis.upstream.Upstream;
import dev.portcullis.upstream.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bridges a 2025 upstream's mid-call requests (elicitation, sampling, roots) to a 2026 client, which can only receive
 * them as an {@code input_required} result and answers by retrying. The upstream call stays parked on a virtual
 * thread; the result's {@code requestState} is a handle signed for the agent's credential and the target, so a
 * tampered, foreign or replayed state is refused. A retry that does not come back within the timeout lets the
 * upstream's request fail.
 */
final class ParkedCalls {
  private static final String PREFIX = "pcl1.";
  private static final Set<String> SUPPORTED = Set.of("tools/call", "prompts/get", "resources/read");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Duration GATHER = Duration.ofMillis(25);

  private final Map<String, Parked> calls = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final byte[] key = new byte[32];
  private final Duration answerTimeout;

  ParkedCalls(Duration answerTimeout) {
    this.answerTimeout = answerTimeout;
    random.nextBytes(key);
  }

  static boolean supports(String method) {
    return SUPPORTED.contains(method);
  }

  /** True when the request is a retry carrying a state this gateway issued. */
  boolean owns(ObjectNode params) {
    JsonNode state = params.get("requestState");
    return state != null && state.isTextual() && state.asText().startsWith(PREFIX);
  }

  private sealed interface Event {}

  private record Done(dev.portcullis.upstream.Reply reply) implements Event {}

  private record Failed(UpstreamException error) implements Event {}

  private record Ask(ObjectNode request, CompletableFuture<dev.portcullis.upstream.Reply> answer) implements Event {}

  private static final class Parked {
    final String id;
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final Map<String, Ask> pending = new ConcurrentHashMap<>();
    volatile Exchange current;
    int asked;

    Parked(String id, Exchange exchange) {
      this.id = id;
      this.current = exchange;
    }
  }

  /** Starts the upstream call on its own virtual thread and waits for its result or its first question. */
  Reply start(Exchange exchange, Upstream upstream, ObjectNode params) throws InterruptedException {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    Parked parked = new Parked(B64.encodeToString(nonce), exchange);
    CallContext context = CallContext.defaults()
        .withNotifications(n -> parked.current.channel().notify(n))
        .withServerRequests(request -> {
          String missing = missingCapability(parked.current, request.path("method").asText());
          if (missing != null) {
            return dev.portcullis.upstream.Reply.error(McpError.METHOD_NOT_FOUND, "the agent's client did not declare the '"
                + missing + "' capability, so Portcullis cannot relay " + request.path("method").asText());
          }
          Ask ask = new Ask(request, new CompletableFuture<>());
          parked.events.add(ask);
          try {
            return ask.answer().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            return dev.portcullis.upstream.Reply.error(McpError.INTERNAL_ERROR,
                "the agent did not answer " + request.path("method").asText() + " in time");
          }
        })
        .withCancellation(new Cancellation())
        .withCredential(exchange.credential());
    Thread.ofVirtual().name("parked-" + parked.id).start(() -> {
      try {
        parked.events.add(new Done(upstream.request(exchange.method(), params, context)));
      } catch (UpstreamException e) {
        parked.events.add(new Failed(e));
      }
    });
    return await(exchange, parked);
  }

  /** Hands the agent's answers to the parked upstream call and waits for what it does next. */
  Reply resume(Exchange exchange, ObjectNode params) throws InterruptedException {
    String state = params.get("requestState").asText();
    String[] parts = state.substring(PREFIX.length()).split("\\.", 3);
    if (parts.length != 3 || !MessageDigest.isEqual(mac(parts[0] + "." + parts[1], exchange).getBytes(StandardCharsets.US_ASCII),
        parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return Reply.error(McpError.invalidParams("requestState was altered, or belongs to another agent or request; "
          + "send the original request again without requestState"));
    }
    Parked parked = calls.get(parts[0]);
    if (parked != null && !parts[1].equals(Integer.toString(parked.asked))) {
      return Reply.error(McpError.invalidParams("requestState is from an earlier round of this request; "
          + "retry with the requestState of the latest input_required result"));
    }
    if (parked == null) {
      return Reply.error(McpError.invalidParams("requestState refers to a call that already finished or expired; "
          + "send the original request again without requestState"));
    }
    parked.current = exchange;
    JsonNode responses = params.path("inputResponses");
    for (var entry : List.copyOf(parked.pending.entrySet())) {
      JsonNode response = responses.get(entry.getKey());
      if (response != null && response.isObject()) {
        parked.pending.remove(entry.getKey());
        entry.getValue().answer().complete(dev.portcullis.upstream.Reply.result((ObjectNode) response));
      }
    }
    if (!parked.pending.isEmpty()) {
      return Reply.result(inputRequired(exchange, parked));
    }
    return await(exchange, parked);
  }

  private Reply await(Exchange exchange, Parked parked) throws InterruptedException {
    Event event = parked.events.poll(answerTimeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    if (event == null) {
      calls.remove(parked.id);
      return Forward.transportError(exchange, "upstream " + exchange.upstream() + " gave no answer in time");
    }
    switch (event) {
      case Done done -> {
        calls.remove(parked.id);
        return Forward.toPipeline(exchange, done.reply());
      }
      case Failed failed -> {
        calls.remove(parked.id);
        return Forward.transportError(exchange, failed.error().getMessage());
      }
      case Ask ask -> {
        // A 2025 server may send several requests at once; give the rest a moment to arrive so they travel together.
        List<Ask> asks = new ArrayList<>(List.of(ask));
        for (Event more; (more = parked.events.poll(GATHER.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
          if (more instanceof Ask a) {
            asks.add(a);
          } else {
            parked.events.add(more);
            break;
          }
        }
        for (Ask a : asks) {
          // The upstream's own request id names the input when it is a string (it is the server-assigned identifier
          // MRTR keys stand for); numeric ids get a gateway name.
          JsonNode id = a.request().get("id");
          String key = id != null && id.isTextual() && !parked.pending.containsKey(id.asText()) ? id.asText()
              : "input-" + (parked.asked + 1);
          parked.asked++;
          parked.pending.put(key, a);
        }
        calls.put(parked.id, parked);
        return Reply.result(inputRequired(exchange, parked));
      }
    }
  }

  private ObjectNode inputRequired(Exchange exchange, Parked parked) {
    ObjectNode result = Json.object().put("resultType", "input_required");
    ObjectNode requests = result.putObject("inputRequests");
    parked.pending.forEach((key, ask) -> {
      ObjectNode request = requests.putObject(key).put("method", ask.request().path("method").asText());
      request.set("params", ask.request().path("params").isObject() ? ask.request().get("params") : Json.object());
    });
    String handle = parked.id + "." + parked.asked;
    result.put("requestState", PREFIX + handle + "." + mac(handle, exchange));
    return result;
  }

  /** The client capability a server-to-client request needs, when the agent's client did not declare it; else null. */
  static String missingCapability(Exchange exchange, String method) {
    String capability = switch (method) {
      case "elicitation/create" -> "elicitation";
      case "sampling/createMessage" -> "sampling";
      case "roots/list" -> "roots";
      default -> null;
    };
    return capability == null || exchange.clientCapabilities().has(capability) ? null : capability;
  }

  private String mac(String id, Exchange exchange) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (String part : List.of(id, exchange.agent().credentialId(), exchange.method(), exchange.target())) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      return B64.encodeToString(mac.doFinal());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
