package dev.portcullis.bench.policy;

import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.entity.Entities;
import dev.portcullis.model.Call;
import dev.portcullis.model.Decision;
import dev.portcullis.model.Tool;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyLoader;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A generated decision workload: a realistic policy (written as a real Portcullis YAML file and loaded with
 * {@link PolicyLoader#fromText}), the equivalent Cedar policy set, and a fixed-seed mix of tool calls (allowed, needing
 * approval, denied by a rule, denied by default, failing a tightening, failing a condition), each prepared for both
 * engines. Same shape and seeds, same workload.
 */
public final class Scenario {
  /**
   * How big the generated policy is.
   *
   * @param roles roles the grants are spread over (some extend others)
   * @param grants grants across all roles
   * @param rules cross-cutting rules (deny and approval, some selecting agents or roles)
   */
  public record Shape(int agents, int tools, int roles, int grants, int rules, long seed) {
    public Shape {
      if (agents < 1 || tools < 12 || roles < 3 || grants < roles || rules < 9) {
        throw new IllegalArgumentException("shape " + agents + " agents, " + tools + " tools, " + roles + " roles, "
            + grants + " grants, " + rules + " rules is too small: use at least 1, 12, 3, roles, 9");
      }
    }

    /** The shape the issue asks for: 50 agents, 200 tools, 500 grants (over 25 roles), 16 rules. */
    public static Shape standard() {
      return new Shape(50, 200, 25, 500, 16, 20261128L);
    }

    public Shape withSeed(long newSeed) {
      return new Shape(agents, tools, roles, grants, rules, newSeed);
    }
  }

  /** A decision both engines can express. */
  public enum Outcome {
    ALLOW,
    DENY,
    NEEDS_APPROVAL;

    /** Portcullis' decision as an outcome (a dry run would be an allow; the generator writes none). */
    public static Outcome of(Decision decision) {
      return switch (decision) {
        case Decision.Allow a -> ALLOW;
        case Decision.DryRun d -> ALLOW;
        case Decision.Deny d -> DENY;
        case Decision.NeedsApproval n -> NEEDS_APPROVAL;
      };
    }
  }

  /** Why a request got its decision (classified by Portcullis when the mix is drawn). */
  public enum Category {
    ALLOWED,
    NEEDS_APPROVAL,
    DENIED_BY_RULE,
    DEFAULT_DENY,
    TIGHTENING_VIOLATION,
    CONDITION_UNMET
  }

  /** A call prepared for Cedar: the request (with context) and its entity slice. */
  public record CedarCall(AuthorizationRequest request, Entities entities) {}

  /** One request of the mix, ready for either engine. */
  public record Case(Call call, Tool tool, Category category, CedarCall cedar) {
    public Case {
      Objects.requireNonNull(call);
      Objects.requireNonNull(tool);
      Objects.requireNonNull(category);
      Objects.requireNonNull(cedar);
    }
  }

  private final Shape shape;
  private final PolicyModel model;
  private final String yaml;
  private final Map<String, String> cedarPolicies;
  private final Policy policy;
  private final CedarEngine cedar;
  private final List<Case> cases;

  private Scenario(Shape shape, int requests, long requestSeed) {
    this.shape = shape;
    this.model = new ModelGenerator(shape).generate();
    this.yaml = PortcullisYaml.write(model);
    this.policy = PolicyLoader.fromText("bench-policy.yaml", yaml);
    this.cedarPolicies = CedarText.policies(model);
    this.cedar = new CedarEngine(model, cedarPolicies);
    this.cases = new RequestMix(model, policy, cedar, requestSeed).draw(requests);
  }

  /** Generates the policy for {@code shape} and draws {@code requests} calls with {@code requestSeed}. */
  public static Scenario generate(Shape shape, int requests, long requestSeed) {
    return new Scenario(shape, requests, requestSeed);
  }

  public Shape shape() {
    return shape;
  }

  PolicyModel model() {
    return model;
  }

  /** The Portcullis policy file. */
  public String yaml() {
    return yaml;
  }

  /** The Cedar policies, by id (the ids of the Portcullis grants and rules they stand for). */
  public Map<String, String> cedarPolicies() {
    return cedarPolicies;
  }

  /** The loaded Portcullis policy. */
  public Policy policy() {
    return policy;
  }

  public List<Case> cases() {
    return cases;
  }

  /** Portcullis' decision for a case. */
  public Outcome portcullis(Case c) {
    return Outcome.of(policy.decide(c.call(), c.tool()));
  }

  /** Cedar's decision for a case. */
  public Outcome cedar(Case c) {
    return cedar.decide(c.cedar());
  }

  /** Cedar policies that failed to evaluate for a case (none expected). */
  public List<String> cedarErrors(Case c) {
    return cedar.errors(c.cedar());
  }

  /** How many cases fall in each category. */
  public Map<Category, Integer> mix() {
    Map<Category, Integer> mix = new EnumMap<>(Category.class);
    cases.forEach(c -> mix.merge(c.category(), 1, Integer::sum));
    return mix;
  }

  /** One line for logs and the docs: the policy's size and the request mix. */
  public String describe() {
    int grants = model.roles().stream().mapToInt(r -> r.grants().size()).sum();
    long conditioned = model.roles().stream().flatMap(r -> r.grants().stream()).filter(g -> g.when().isPresent())
        .count();
    long tightened = model.roles().stream().flatMap(r -> r.grants().stream()).filter(g -> !g.args().isEmpty()).count();
    return model.agents().size() + " agents, " + model.tools().size() + " tools on " + model.upstreams().size()
        + " upstreams, " + model.roles().size() + " roles, " + grants + " grants (" + conditioned + " with CEL when:, "
        + tightened + " with argument tightening), " + model.rules().size() + " rules; " + cases.size()
        + " requests: " + mix();
  }
}
