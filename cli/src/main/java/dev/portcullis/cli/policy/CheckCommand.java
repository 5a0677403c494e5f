package dev.portcullis.cli.policy;

import dev.portcullis.config.Problem;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis policy check FILE}: loads the policy and lints it. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Validate a policy file (or directory) and print every error and warning with file:line:column.",
        "", "Exits 0 when the policy loads (warnings are printed), 1 when it has errors",
        "(or warnings, with --strict)."})
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Policy file or directory of policy files.")
  Path file;

  @Option(names = "--strict", description = "Treat warnings as errors.")
  boolean strict;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Policy policy = PolicyLoader.load(file);
      for (Problem w : policy.warnings()) {
        err.println(w);
      }
      out.printf("%s: OK (%d agents, %d upstreams, %d tools described, %d warnings; version %s)%n", file,
          policy.agents().size(), policy.upstreams().size(), policy.tools().size(), policy.warnings().size(),
          policy.version().substring(0, 12));
      return strict && !policy.warnings().isEmpty() ? 1 : 0;
    } catch (PolicyException e) {
      for (Problem p : e.problems()) {
        err.println(p);
      }
      err.printf("%s: %d errors, %d warnings%n", file, e.errors().size(), e.problems().size() - e.errors().size());
      return 1;
    }
  }
}
