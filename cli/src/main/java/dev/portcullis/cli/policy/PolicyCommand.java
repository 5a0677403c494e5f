package dev.portcullis.cli.policy;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis policy}: check, test, explain and diff policy files. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Validate, test, explain and compare policy files.",
    subcommands = {CheckCommand.class, TestCommand.class, ExplainCommand.class, DiffCommand.class,
        CommandLine.HelpCommand.class})
public final class PolicyCommand implements Callable<Integer> {
  /** Exit status when the input itself cannot be used (missing file, broken policy where one was required). */
  static final int UNUSABLE = 2;
  /** Where {@code --config} points when not given. */
  static final String DEFAULT_CONFIG = "${env:PORTCULLIS_CONFIG:-portcullis.yaml}";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
