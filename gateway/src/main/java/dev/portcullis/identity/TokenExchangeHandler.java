package dev.portcullis.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.identity.TokenExchange.Issued;
import dev.portcullis.identity.TokenExchange.Outcome;
import dev.portcullis.identity.TokenExchange.Refused;
import dev.portcullis.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The token endpoint for RFC 8693 token exchange ({@code POST}, form-encoded,
 * {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange}). The orchestrator's own credential is the
 * {@code subject_token}; {@code scope} lists what the sub-agent keeps as {@code role:<name>} and {@code tool:<pattern>}
 * tokens; Portcullis extensions {@code agent_name} and {@code expires_in} (seconds) name the sub-agent and bound its
 * lifetime. Mount it at {@code /oauth/token}; it answers every request it is given.
 */
public final class TokenExchangeHandler extends Handler.Abstract {
  /** The grant type of RFC 8693. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
  private static final Set<String> TOKEN_TYPES = Set.of(ACCESS_TOKEN_TYPE, JWT_TYPE);
  private static final int MAX_FIELDS = 32;
  private static final int MAX_FORM_BYTES = 32 * 1024;

  private final TokenExchange exchange;
  private final Function<String, AuthResult> subjectAuthenticator;
  private final BiConsumer<AgentIdentity, Outcome> onExchange;

  /**
   * @param subjectAuthenticator authenticates the {@code subject_token} exactly as a call's bearer credential would
   *     be (API key, OIDC token or sub-agent token) and returns the parent with its effective roles and version
   * @param onExchange told of every exchange by an authenticated parent, issued or refused, for the audit log
   */
  public TokenExchangeHandler(TokenExchange exchange, Function<String, AuthResult> subjectAuthenticator,
      BiConsumer<AgentIdentity, Outcome> onExchange) {
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.subjectAuthenticator = Objects.requireNonNull(subjectAuthenticator, "subjectAuthenticator");
    this.onExchange = Objects.requireNonNull(onExchange, "onExchange");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      return reply(response, callback, 405, error("invalid_request", "the token endpoint takes POST only"));
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return reply(response, callback, 400, error("invalid_request", "send the parameters as"
          + " application/x-www-form-urlencoded, not " + contentType));
    }
    if (request.getHttpURI().getQuery() != null) {
      return reply(response, callback, 400, error("invalid_request", "parameters belong in the request body, never"
          + " in the URL where tokens end up in logs"));
    }
    Fields fields;
    try {
      fields = FormFields.getFields(request, MAX_FIELDS, MAX_FORM_BYTES);
    } catch (RuntimeException e) {
      return reply(response, callback, 400, error("invalid_request", "the form body is unreadable or larger than "
          + MAX_FORM_BYTES + " bytes"));
    }
    Outcome outcome = exchange(fields);
    return switch (outcome) {
      case Issued issued -> reply(response, callback, 200, success(issued));
      case Refused refused -> reply(response, callback, 400, error(refused.error(), refused.description()));
    };
  }

  private Outcome exchange(Fields fields) {
    for (String name : fields.getNames()) {
      if (fields.getValues(name).size() > 1) {
        return new Refused("invalid_request", "parameter " + name + " is given more than once (RFC 6749 3.2)");
      }
    }
    String grantType = fields.getValue("grant_type");
    if (!GRANT_TYPE.equals(grantType)) {
      return new Refused("unsupported_grant_type", "grant_type " + grantType + " is not supported here; use "
          + GRANT_TYPE);
    }
    String subjectToken = fields.getValue("subject_token");
    String subjectType = fields.getValue("subject_token_type");
    if (subjectToken == null || subjectType == null) {
      return new Refused("invalid_request", "subject_token and subject_token_type are required (RFC 8693 2.1)");
    }
    if (!TOKEN_TYPES.contains(subjectType)) {
      return new Refused("invalid_request", "subject_token_type " + subjectType + " is not supported; use "
          + ACCESS_TOKEN_TYPE);
    }
    if (fields.getValue("actor_token") != null) {
      return new Refused("invalid_request", "actor_token is not supported: the sub-agent is named by agent_name");
    }
    String requestedType = fields.getValue("requested_token_type");
    if (requestedType != null && !TOKEN_TYPES.contains(requestedType)) {
      return new Refused("invalid_request", "requested_token_type " + requestedType + " is not supported; sub-agent"
          + " tokens are " + ACCESS_TOKEN_TYPE);
    }
    String resource = fields.getValue("resource");
    String audience = fields.getValue("audience");
    if (resource != null && audience != null && !resource.equals(audience)) {
      return new Refused("invalid_target", "resource " + resource + " and audience " + audience + " differ; name"
          + " this gateway once");
    }
    TokenExchange.Request request;
    try {
      request = request(fields, Optional.ofNullable(resource != null ? resource : audience));
    } catch (IllegalArgumentException e) {
      return new Refused(e.getMessage().startsWith("scope") ? "invalid_scope" : "invalid_request", e.getMessage());
    }
    AuthResult subject = subjectAuthenticator.apply(subjectToken);
    if (!(subject instanceof AuthResult.Authenticated authenticated)) {
      return new Refused("invalid_request", "subject_token: " + ((AuthResult.Rejected) subject).message());
    }
    Outcome outcome = exchange.exchange(authenticated.identity(), request);
    onExchange.accept(authenticated.identity(), outcome);
    return outcome;
  }

  private static TokenExchange.Request request(Fields fields, Optional<String> audience) {
    Set<String> roles = new LinkedHashSet<>();
    Set<String> tools = new LinkedHashSet<>();
    String scope = fields.getValue("scope");
    if (scope != null) {
      for (String token : scope.trim().split("\\s+")) {
        if (token.startsWith("role:") && token.length() > 5) {
          roles.add(token.substring(5));
        } else if (token.startsWith("tool:") && token.length() > 5) {
          tools.add(token.substring(5));
        } else if (!token.isEmpty()) {
          throw new IllegalArgumentException("scope token '" + token + "' is neither role:<name> nor tool:<pattern>");
        }
      }
    }
    Optional<Duration> lifetime = Optional.empty();
    String expiresIn = fields.getValue("expires_in");
    if (expiresIn != null) {
      try {
        lifetime = Optional.of(Duration.ofSeconds(Long.parseLong(expiresIn)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expires_in " + expiresIn + " is not a whole number of seconds");
      }
    }
    return new TokenExchange.Request(Optional.ofNullable(fields.getValue("agent_name")),
        roles.isEmpty() ? Optional.empty() : Optional.of(new HashSet<>(roles)),
        tools.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(tools)), lifetime, audience);
  }

  private static ObjectNode success(Issued issued) {
    ObjectNode body = Json.object();
    body.put("access_token", issued.accessToken());
    body.put("issued_token_type", ACCESS_TOKEN_TYPE);
    body.put("token_type", "Bearer");
    body.put("expires_in", issued.expiresIn());
    body.put("scope", issued.scope());
    return body;
  }

  private static ObjectNode error(String code, String description) {
    ObjectNode body = Json.object();
    body.put("error", code);
    body.put("error_description", description);
    return body;
  }

  private static boolean reply(Response response, Callback callback, int status, ObjectNode body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.PRAGMA, "no-cache");
    response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
