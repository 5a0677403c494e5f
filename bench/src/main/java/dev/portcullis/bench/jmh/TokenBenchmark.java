package dev.portcullis.bench.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.CredentialsConfig;
import dev.portcullis.json.Json;
import dev.portcullis.model.Agent;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.TokenIssuer;
import dev.portcullis.verifier.PerCallTokenVerifier;
import dev.portcullis.verifier.VerificationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call token: minting it in the gateway ({@link TokenIssuer#mint}, ES256) and checking it in the tool server
 * ({@link PerCallTokenVerifier#verify}: signature, claims, argument hash, single use), with each signer the gateway
 * offers ({@code server.credentials.signer}: AWS-LC or the JDK) side by side. Verification needs a fresh
 * token per call (a replayed token is refused), so the tool server holds a pool of tokens minted before the
 * measurement; both sides share a fixed clock so the pool never expires, and when the pool runs out a new verifier
 * (with an empty replay cache) takes over, once every {@value #POOL} calls.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TokenBenchmark {
  static final String ISSUER = "https://portcullis.bench.example";
  static final int POOL = 20_000;
  static final Clock CLOCK = Clock.fixed(java.time.Instant.parse("2026-11-28T10:00:00Z"), java.time.ZoneOffset.UTC);

  /** The gateway side: keys, issuer, one call's agent and arguments. */
  @State(Scope.Thread)
  public static class Gateway {
    /** {@code server.credentials.signer}; the verifier (tool server side) is the same for both. */
    @Param({"aws-lc", "jdk"})
    public String signer;

    SigningKeys keys;
    TokenIssuer issuer;
    Agent agent;
    ObjectNode arguments;
    String argumentsJson;

    @Setup(Level.Trial)
    public void setUp() {
      keys = SigningKeys.inMemory(SigningKeys.DEFAULT_OVERLAP, CLOCK, CredentialsConfig.Signer.parse(signer)
          .orElseThrow(() -> new IllegalArgumentException("unknown signer " + signer)));
      issuer = new TokenIssuer(ISSUER, keys, TokenIssuer.DEFAULT_LIFETIME, CLOCK);
      agent = new Agent("ops-bot", "v1", Set.of("operations"), Map.of("region", "EU"), List.of("orchestrator"),
          "k-bench");
      arguments = JsonNodeFactory.instance.objectNode().put("customer_id", "C-4711").put("amount", 80)
          .put("currency", "EUR").put("reason", "duplicate charge on invoice 2026-118");
      argumentsJson = Json.write(arguments);
    }

    TokenIssuer.MintedToken mint() {
      return issuer.mint(agent, "billing", "refund", arguments);
    }
  }

  /** The tool server side: a verifier and a pool of unused tokens. */
  @State(Scope.Thread)
  public static class ToolServer {
    String[] pool = new String[POOL];
    int next;
    PerCallTokenVerifier verifier;
    Gateway gateway;
    int refused;

    @Setup(Level.Trial)
    public void mintPool(Gateway gateway) {
      this.gateway = gateway;
      for (int i = 0; i < POOL; i++) {
        pool[i] = gateway.mint().token();
      }
      verifier = newVerifier();
    }

    PerCallTokenVerifier newVerifier() {
      return PerCallTokenVerifier.builder().jwkSet(gateway.keys.publicKeys()).issuer(ISSUER).audience("billing")
          .clock(CLOCK).build();
    }

    String nextToken() {
      if (next == POOL) {
        next = 0;
        verifier = newVerifier();
      }
      return pool[next++];
    }

    @TearDown(Level.Iteration)
    public void report() {
      if (refused > 0) {
        System.err.println("token benchmark: " + refused + " verifications were refused; the numbers are not valid");
        refused = 0;
      }
    }
  }

  @Benchmark
  public TokenIssuer.MintedToken mint(Gateway gateway, ThreadCpuTime cpu) {
    cpu.count();
    return gateway.mint();
  }

  @Benchmark
  public VerificationResult verify(Gateway gateway, ToolServer server, ThreadCpuTime cpu) {
    cpu.count();
    String token = server.nextToken();
    VerificationResult result = server.verifier.verify(token, "refund", gateway.argumentsJson);
    if (!(result instanceof VerificationResult.Valid)) {
      server.refused++;
    }
    return result;
  }
}
