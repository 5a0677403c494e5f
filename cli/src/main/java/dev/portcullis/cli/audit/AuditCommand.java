package dev.portcullis.cli.audit;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit}: checks and reads the tamper-evident audit log. Add it to the main command with
 * {@code commandLine.addSubcommand(new AuditCommand())} or list {@code AuditCommand.class} in its subcommands.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Check and read the tamper-evident audit log.",
    subcommands = {VerifyCommand.class, TraceCommand.class})
public final class AuditCommand implements Callable<Integer> {
  /** Exit status when the log cannot be opened or the command line is wrong. */
  static final int UNUSABLE = 2;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return UNUSABLE;
  }
}
