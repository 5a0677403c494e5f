package dev.portcullis.cli.keys;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis keys}: agents' API keys and versions, and the gateway's signing keys. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create and rotate agents' API keys and versions, and rotate the gateway's signing key.",
    subcommands = {CreateCommand.class, RotateCommand.class, RotateSigningCommand.class, CommandLine.HelpCommand.class})
public final class KeysCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
