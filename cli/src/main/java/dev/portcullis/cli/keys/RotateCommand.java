package dev.portcullis.cli.keys;

import dev.portcullis.keys.ApiKeys;
import dev.portcullis.keys.KeyFileEditor;
import dev.portcullis.policy.AgentSpec;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis keys rotate AGENT}: a new version of an agent. Replaces all of its API keys with one new key and
 * moves it to a new version (a declared {@code version} is set to {@code --new-version}; an undeclared version is a
 * hash of the definition, which the new key changes). A running gateway reloads the file and drops every session and
 * all per-credential state of the old version; sub-agent tokens of the old version stop working.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = {"Rotate an agent to a new version: all of its API keys are replaced by one new key (printed once),",
        "its version changes, and a running gateway drops every session and sub-agent token of the old version",
        "when it reloads the policy."})
final class RotateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "AGENT", description = "The agent to rotate.")
  String agentId;

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Policy file (or directory) defining the agent; edited in place, comments kept.")
  Path config;

  @Option(names = "--new-version", paramLabel = "V",
      description = "The new version; required when the agent declares one (e.g. --new-version v2).")
  String version;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Policy before;
    try {
      before = PolicyLoader.load(config);
    } catch (PolicyException e) {
      err.println("portcullis keys rotate: " + config + " does not load, fix it first:\n" + e.getMessage());
      return 2;
    }
    AgentSpec agent = before.agents().get(agentId);
    if (agent == null) {
      err.println("portcullis keys rotate: agent '" + agentId + "' is not defined in " + config
          + "; defined agents: " + String.join(", ", before.agents().keySet()));
      return 1;
    }
    Path file = agent.mark().file();
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (version == null && KeyFileEditor.declaredVersion(text, agentId).isPresent()) {
        err.println("portcullis keys rotate: agent '" + agentId + "' declares version " + agent.version() + " in "
            + file + "; pass the new one with --new-version (e.g. --new-version " + agent.version() + "-2)");
        return 2;
      }
      ApiKeys.NewKey key = ApiKeys.create(agentId);
      String edited = KeyFileEditor.replaceKeys(text, agentId, key);
      if (version != null) {
        edited = KeyFileEditor.setVersion(edited, agentId, version);
      }
      Policy after = PolicyLoader.fromText(file.toString(), edited); // never write a file that would not load
      String newVersion = after.agents().get(agentId).version();
      if (newVersion.equals(agent.version())) {
        err.println("portcullis keys rotate: the new version of '" + agentId + "' equals the old one ("
            + newVersion + "); pass a different --version");
        return 2;
      }
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, edited, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out.println("Rotated agent '" + agentId + "' in " + file + ": version " + agent.version() + " -> " + newVersion
          + (agent.keyIds().isEmpty() ? "" : "; revoked keys " + String.join(", ", agent.keyIds())) + ".");
      out.println("New API key (shown once; store it in the agent's secret store):");
      out.println();
      out.println("  " + key.plaintext());
      out.println();
      out.println("A running gateway reloads the file within seconds and then drops every session of the old version.");
      out.flush();
      return 0;
    } catch (IOException | IllegalArgumentException | PolicyException e) {
      err.println("portcullis keys rotate: cannot edit " + file + " (" + e.getMessage() + "); nothing was changed");
      return 1;
    }
  }
}
