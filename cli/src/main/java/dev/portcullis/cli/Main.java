package dev.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/portcullis}: the gateway and its tools. */
@Command(
    name = "portcullis",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Least-privilege gateway for AI agents' tool calls.",
    subcommands = {
        ServeCommand.class,
        DemoCommand.class,
        StdioCommand.class,
        ToolServerCommand.class,
        dev.portcullis.cli.policy.PolicyCommand.class,
        dev.portcullis.cli.keys.KeysCommand.class,
        dev.portcullis.cli.audit.AuditCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, for tests and for {@link #main}. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Prints the gateway's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"portcullis " + dev.portcullis.server.Gateway.VERSION};
    }
  }
}
