package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree {@code bin/portcullis} runs: it builds, and every command in it answers {@code --help}. */
class MainTest {
  @Test
  void theCommandTreeBuildsWithEveryTopLevelCommand() {
    CommandLine cli = Main.commandLine();

    assertThat(cli.getSubcommands().keySet())
        .contains("serve", "demo", "stdio", "tool-server", "policy", "keys", "audit", "help");
  }

  @Test
  void everyCommandAndSubcommandPrintsItsUsageForHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(10);

    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));

      int status = cli.execute(args.toArray(String[]::new));

      assertThat(status).as("exit status of portcullis %s (stderr: %s)", args, err).isZero();
      assertThat(out.toString()).as("usage of portcullis %s", args)
          .contains("Usage: portcullis" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
    }
  }

  @Test
  void versionNamesTheGateway() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("--version")).isZero();
    assertThat(out.toString()).startsWith("portcullis ");
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals("help") || !sub.getCommandName().equals(name)) {
        return; // the help command takes a command name, not --help; aliases are the same command
      }
      List<String> next = new ArrayList<>(path);
      next.add(name);
      collect(sub, next, into);
    });
  }
}
