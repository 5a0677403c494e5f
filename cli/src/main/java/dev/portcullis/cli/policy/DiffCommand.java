package dev.portcullis.cli.policy;

import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyDiff;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis policy diff OLD NEW}: which agents gain or lose which capabilities. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Compare two policies and list, per agent, the capabilities gained (+) and lost (-).",
        "", "Exits 0 (or, with --exit-code, 1 when anything changed); 2 when a policy cannot be loaded."})
final class DiffCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "The policy before the change.")
  Path before;

  @Parameters(index = "1", paramLabel = "NEW", description = "The policy after the change.")
  Path after;

  @Option(names = "--exit-code", description = "Exit with 1 when any agent gains or loses a capability.")
  boolean exitCode;

  @Override
  public Integer call() {
    Policy old;
    Policy now;
    try {
      old = PolicyLoader.load(before);
      now = PolicyLoader.load(after);
    } catch (PolicyException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return PolicyCommand.UNUSABLE;
    }
    List<PolicyDiff.Change> changes = PolicyDiff.compare(old, now);
    spec.commandLine().getOut().print(PolicyDiff.render(changes));
    spec.commandLine().getOut().flush();
    return exitCode && !changes.isEmpty() ? 1 : 0;
  }
}
