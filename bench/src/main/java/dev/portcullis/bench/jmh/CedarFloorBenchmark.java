package dev.portcullis.bench.jmh;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed cost of one Cedar decision through cedar-java: two policies, two entities, a small context, cached policy
 * set. What any Cedar decision from Java costs at least (serialization to JSON, the JNI call, parsing the answer),
 * next to which {@link DecisionBenchmark#cedar()} shows what 500 grants add.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class CedarFloorBenchmark {
  private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
  private PolicySet policies;
  private AuthorizationRequest request;
  private Set<Entity> entities;

  @Setup
  public void setUp() throws Exception {
    Set<Policy> set = new LinkedHashSet<>();
    set.add(new Policy("permit (principal in Role::\"billing\", action == Action::\"call\", "
        + "resource == Tool::\"billing.refund\") when { context.args.amount <= 100 };", "small-refunds"));
    set.add(new Policy("forbid (principal, action == Action::\"call\", resource) "
        + "when { context.session.labels.contains(\"untrusted_content\") };", "no-untrusted"));
    policies = new PolicySet(set);
    policies.cache();
    EntityTypeName agent = EntityTypeName.parse("Agent").orElseThrow();
    EntityTypeName role = EntityTypeName.parse("Role").orElseThrow();
    EntityTypeName tool = EntityTypeName.parse("Tool").orElseThrow();
    EntityUID agentId = agent.of("ops-bot");
    entities = Set.of(new Entity(agentId, Map.of("region", new PrimString("EU")), Set.of(role.of("billing"))),
        new Entity(tool.of("billing.refund")));
    Map<String, Value> args = Map.of("amount", new PrimLong(80), "currency", new PrimString("EUR"));
    Map<String, Value> session = Map.of("labels", new com.cedarpolicy.value.CedarList(), "calls", new PrimLong(3));
    request = new AuthorizationRequest(agentId, EntityTypeName.parse("Action").orElseThrow().of("call"),
        tool.of("billing.refund"), Map.of("args", new com.cedarpolicy.value.CedarMap(args),
            "session", new com.cedarpolicy.value.CedarMap(session)));
  }

  @Benchmark
  public AuthorizationResponse cedarBindingFloor() throws AuthException {
    return engine.isAuthorized(request, policies, entities);
  }
}
