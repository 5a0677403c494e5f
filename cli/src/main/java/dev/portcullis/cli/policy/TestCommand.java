package dev.portcullis.cli.policy;

import dev.portcullis.policytest.PolicyTests;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis policy test PATH}: runs YAML policy tests, like {@code opa test}. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = {"Run policy tests: a *.tests.yaml file, or every such file in a directory.",
        "", "Each case gives an agent, a tool (or prompt, or resource), arguments and session history, and expects",
        "an effect and a rule id. Failures print expected versus actual. Exits 0 when all pass, 1 otherwise."})
final class TestCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "A *.tests.yaml file or a directory of them.")
  Path path;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "Test this policy instead of the one each test file names.")
  Path policy;

  @Option(names = {"-v", "--verbose"}, description = "Also list the cases that pass.")
  boolean verbose;

  @Override
  public Integer call() {
    PolicyTests.Report report = PolicyTests.run(path, Optional.ofNullable(policy));
    spec.commandLine().getOut().print(report.render(verbose));
    spec.commandLine().getOut().flush();
    return report.passed() ? 0 : 1;
  }
}
