package dev.portcullis.cli.policy;

import dev.portcullis.model.Agent;
import dev.portcullis.policy.PermissionSummary;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis policy explain --agent ID}: the agent's permissions in words, for its system prompt. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Print a concise summary of what an agent may do, for its system prompt: what it may call and",
        "with which limits, what needs approval, what runs as a dry run, what is denied, and its budgets."})
final class ExplainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--agent", required = true, paramLabel = "ID", description = "The agent to explain.")
  String agentId;

  @Option(names = "--config", paramLabel = "FILE", defaultValue = PolicyCommand.DEFAULT_CONFIG,
      description = "Policy file or directory (default: $PORTCULLIS_CONFIG or portcullis.yaml).")
  Path config;

  @Option(names = "--roles", split = ",", paramLabel = "ROLE",
      description = "Explain a sub-agent narrowed to these roles.")
  List<String> roles = List.of();

  @Option(names = "--token-roles", split = ",", paramLabel = "ROLE",
      description = {"Explain the agent as its access token would make it: with these roles from the token's roles",
          "claim (only roles its oidc.roles_from_claim lists)."})
  List<String> tokenRoles = List.of();

  @Override
  public Integer call() {
    Policy policy;
    try {
      policy = PolicyLoader.load(config);
    } catch (PolicyException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return PolicyCommand.UNUSABLE;
    }
    Optional<Agent> agent = policy.agent(agentId, "explain");
    if (agent.isEmpty()) {
      spec.commandLine().getErr().println("agent '" + agentId + "' is not defined in " + config + "; defined agents: "
          + String.join(", ", policy.agents().keySet()));
      return 1;
    }
    Agent subject = agent.get();
    if (!tokenRoles.isEmpty()) {
      List<String> allowed = policy.agents().get(agentId).oidc().map(o -> o.rolesFromClaim()).orElse(List.of());
      List<String> refused = tokenRoles.stream().filter(r -> !allowed.contains(r)).toList();
      if (!refused.isEmpty()) {
        spec.commandLine().getErr().println("agent '" + agentId + "' cannot take " + String.join(", ", refused)
            + " from a token; its oidc.roles_from_claim lists " + (allowed.isEmpty() ? "none" : String.join(", ",
            allowed)));
        return 1;
      }
      List<String> all = new java.util.ArrayList<>(subject.roles());
      all.addAll(tokenRoles);
      subject = policy.subAgent(agentId, agentId, all, subject.attributes(), List.of(), "explain").orElseThrow();
    }
    if (!roles.isEmpty()) {
      try {
        subject = policy.attenuate(subject, roles, "explain");
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
    }
    spec.commandLine().getOut().print(PermissionSummary.render(policy, subject));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
