package dev.portcullis.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.TokenIssuer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RFC 8693 token exchange for delegation: an orchestrator agent trades its credential for a sub-agent access token
 * with attenuated rights, a subset of its roles and tools, and a lifetime that never outlasts its own. The result is a
 * Portcullis-signed token for this gateway ({@code aud}), naming the sub-agent {@code parent/name} with the delegation
 * chain in {@code act}; {@link SubAgentTokenValidator} accepts it when it comes back. Asking for more than the parent
 * holds is refused with the RFC's error codes, never quietly trimmed.
 */
public final class TokenExchange {
  /** Lifetime of a sub-agent token when none is requested (or less, if the parent expires sooner). */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  /** Longest lifetime a sub-agent token may be given; keep below {@link SigningKeys#DEFAULT_OVERLAP}. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(15);
  /** Most delegation steps from a root agent to a sub-agent. */
  public static final int MAX_DEPTH = 4;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String issuer;
  private final String resource;
  private final SigningKeys keys;
  private final Clock clock;

  /**
   * @param issuer the gateway's issuer URL ({@code iss} of the tokens it signs)
   * @param resource the gateway's resource URI, the only audience a sub-agent token can have
   */
  public TokenExchange(String issuer, String resource, SigningKeys keys, Clock clock) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What an orchestrator asks for. Empty fields mean "as the parent has it" (roles, tools), "a generated name", and
   * "the default lifetime".
   *
   * @param name the sub-agent's name under its parent ({@code researcher} → {@code ops-bot/researcher})
   * @param roles the roles to keep, each held by the parent
   * @param tools tool patterns to limit the sub-agent to, each covered by the parent's own limit if it has one
   * @param lifetime how long the token lives
   * @param audience the {@code resource}/{@code audience} the client named, which must be this gateway
   */
  public record Request(
      Optional<String> name,
      Optional<Set<String>> roles,
      Optional<List<String>> tools,
      Optional<Duration> lifetime,
      Optional<String> audience) {
    public Request {
      Objects.requireNonNull(name, "name");
      roles = roles.map(Set::copyOf);
      tools = tools.map(List::copyOf);
      Objects.requireNonNull(lifetime, "lifetime");
      Objects.requireNonNull(audience, "audience");
    }

    /** Everything as the parent has it, for the default lifetime. */
    public static Request inherit() {
      return new Request(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** The outcome of an exchange. */
  public sealed interface Outcome {}

  /**
   * A sub-agent token was issued.
   *
   * @param accessToken the token; a secret, never logged ({@link #toString()} omits it)
   * @param subAgent the identity the token carries
   * @param expiresIn seconds until it expires
   * @param scope the granted rights as {@code role:…} and {@code tool:…} scope tokens
   */
  public record Issued(String accessToken, AgentIdentity subAgent, long expiresIn, String scope) implements Outcome {
    @Override
    public String toString() {
      return "Issued[" + subAgent.agentId() + ", " + scope + ", expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * The exchange was refused: answer 400 with this OAuth error ({@code invalid_request}, {@code invalid_scope},
   * {@code invalid_target}) and description.
   */
  public record Refused(String error, String description) implements Outcome {}

  /** Mints a sub-agent token for {@code parent} (as the gateway authenticated it, roles expanded) if it may. */
  public Outcome exchange(AgentIdentity parent, Request request) {
    Instant now = clock.instant();
    Duration remaining = Duration.between(now, parent.expiresAt());
    if (!remaining.isPositive()) {
      return new Refused("invalid_request", "the subject token of " + parent.agentId() + " has expired");
    }
    if (parent.actorChain().size() + 1 > MAX_DEPTH) {
      return new Refused("invalid_request", parent.agentId() + " is already " + parent.actorChain().size()
          + " delegations deep; at most " + MAX_DEPTH + " are allowed");
    }
    if (request.audience().isPresent() && !resource.equals(request.audience().get())) {
      return new Refused("invalid_target", "sub-agent tokens are only issued for this gateway (" + resource
          + "), not for " + request.audience().get());
    }
    String name = request.name().orElseGet(() -> "sub-" + HexFormat.of().formatHex(randomBytes(4)));
    if (!NAME.matcher(name).matches()) {
      return new Refused("invalid_request", "sub-agent name '" + name + "' must be 1-64 letters, digits, '.', '_'"
          + " or '-', starting with a letter or digit");
    }
    Set<String> roles = request.roles().orElse(parent.roles());
    for (String role : roles) {
      if (!parent.roles().contains(role)) {
        return new Refused("invalid_scope", "role '" + role + "' is not held by " + parent.agentId() + " (it holds "
            + parent.roles().stream().sorted().toList() + "); a sub-agent can only get a subset");
      }
    }
    Optional<List<String>> tools = request.tools().isPresent() ? request.tools() : parent.tools();
    if (request.tools().isPresent()) {
      for (String pattern : request.tools().get()) {
        if (!ToolPatterns.valid(pattern)) {
          return new Refused("invalid_scope", "tool pattern '" + pattern + "' is not a tool name or a prefix ending"
              + " in *, e.g. acme.crm_get or acme.*");
        }
        if (parent.tools().isPresent() && !ToolPatterns.coveredBy(parent.tools().get(), pattern)) {
          return new Refused("invalid_scope", "tool pattern '" + pattern + "' reaches beyond what "
              + parent.agentId() + " may use (" + parent.tools().get() + "); a sub-agent can only get a subset");
        }
      }
    }
    Duration lifetime = request.lifetime().orElse(DEFAULT_LIFETIME.compareTo(remaining) < 0
        ? DEFAULT_LIFETIME : remaining);
    if (!lifetime.isPositive() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      return new Refused("invalid_request", "a lifetime of " + lifetime.toSeconds() + " s is outside 1 to "
          + MAX_LIFETIME.toSeconds() + " s");
    }
    if (lifetime.compareTo(remaining) > 0) {
      return new Refused("invalid_request", "a lifetime of " + lifetime.toSeconds() + " s outlasts the subject"
          + " token of " + parent.agentId() + ", which expires in " + remaining.toSeconds() + " s");
    }
    return issue(parent, parent.agentId() + "/" + name, roles, tools, now, now.plus(lifetime));
  }

  private Issued issue(AgentIdentity parent, String agentId, Set<String> roles, Optional<List<String>> tools,
      Instant now, Instant expires) {
    List<String> chain = new ArrayList<>(parent.actorChain());
    chain.add(parent.agentId());
    String jti = HexFormat.of().formatHex(randomBytes(16));
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(agentId)
        .audience(resource)
        .jwtID(jti)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .claim(SubAgentClaims.ACT, TokenIssuer.actClaim(chain))
        .claim(SubAgentClaims.ROLES, roles.stream().sorted().toList())
        .claim(SubAgentClaims.ATTRIBUTES, parent.attributes())
        .claim(SubAgentClaims.VERSION, parent.version())
        .claim(SubAgentClaims.TASK, parent.credentialId());
    tools.ifPresent(t -> claims.claim(SubAgentClaims.TOOLS, t));
    if (!parent.scopes().isEmpty()) {
      claims.claim(SubAgentClaims.SCOPE, String.join(" ", new LinkedHashSet<>(parent.scopes())));
    }
    String token = keys.sign(SubAgentClaims.TYPE, claims.build());
    AgentIdentity subAgent = new AgentIdentity(issuer, agentId, parent.version(), roles, parent.attributes(),
        parent.scopes(), chain, tools, parent.credentialId(), expires);
    return new Issued(token, subAgent, Duration.between(now, expires).toSeconds(), scope(roles, tools));
  }

  static String scope(Set<String> roles, Optional<List<String>> tools) {
    List<String> parts = new ArrayList<>();
    roles.stream().sorted().forEach(r -> parts.add("role:" + r));
    tools.ifPresent(t -> t.forEach(p -> parts.add("tool:" + p)));
    return String.join(" ", parts);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
