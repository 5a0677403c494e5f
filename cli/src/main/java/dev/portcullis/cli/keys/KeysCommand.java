package dev.portcullis.cli.keys;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis keys}: API keys for agents. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create API keys for agents.",
    subcommands = {CreateCommand.class, CommandLine.HelpCommand.class})
public final class KeysCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
