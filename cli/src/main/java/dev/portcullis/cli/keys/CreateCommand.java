package dev.portcullis.cli.keys;

import dev.portcullis.keys.ApiKeys;
import dev.portcullis.keys.KeyFileEditor;
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
 * {@code portcullis keys create AGENT}: makes a new API key, prints it once, and prints (or, with {@code --write},
 * inserts) the hash line for the policy file. The plaintext is never written anywhere.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Create an API key for an agent. The key is printed once; only its salted hash goes into the",
        "policy file (printed as a line to paste under the agent's keys:, or inserted with --write)."})
final class CreateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "AGENT", description = "The agent id the key is for.")
  String agentId;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Policy file the agent is defined in; checked, and edited with --write.")
  Path config;

  @Option(names = "--write", description = "Insert the key's hash into --config, keeping comments and layout.")
  boolean write;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (write && config == null) {
      err.println("portcullis keys create: --write needs --config FILE (the policy file to edit)");
      return 2;
    }
    if (config != null) {
      try {
        Policy policy = PolicyLoader.load(config);
        if (!policy.agents().containsKey(agentId)) {
          err.println("portcullis keys create: agent '" + agentId + "' is not defined in " + config
              + "; defined agents: " + String.join(", ", policy.agents().keySet()));
          return 1;
        }
      } catch (PolicyException e) {
        err.println("portcullis keys create: " + config + " does not load, fix it first:\n" + e.getMessage());
        return 2;
      }
    }
    ApiKeys.NewKey key = ApiKeys.create(agentId);
    if (write) {
      try {
        Path file = fileDefining(config, agentId);
        String edited = KeyFileEditor.addKey(Files.readString(file, StandardCharsets.UTF_8), agentId, key);
        PolicyLoader.fromText(file.toString(), edited); // never write a file that would not load
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, edited, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.println("Added key " + key.keyId() + " to agent '" + agentId + "' in " + file + ".");
      } catch (IOException | IllegalArgumentException | PolicyException e) {
        err.println("portcullis keys create: cannot insert the key into " + config + " (" + e.getMessage()
            + "); no key was created. Run without --write and paste the line by hand.");
        return 1;
      }
    }
    out.println("New API key for agent '" + agentId + "' (shown once; store it in the agent's secret store):");
    out.println();
    out.println("  " + key.plaintext());
    out.println();
    if (!write) {
      out.println("Add this line under agents." + agentId + ".keys in " + (config == null ? "the policy file" : config)
          + ":");
      out.println();
      out.println("  - " + key.yamlEntry());
      out.println();
    }
    out.println("Agents send it as 'Authorization: Bearer <key>'. To revoke it, delete its line (id " + key.keyId()
        + ") from the policy.");
    out.flush();
    return 0;
  }

  private static boolean isPolicyFile(Path p) {
    String name = p.getFileName().toString();
    return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.matches(".*\\.tests\\.ya?ml")
        && !name.startsWith(".");
  }

  private static Path fileDefining(Path config, String agentId) throws IOException {
    if (!Files.isDirectory(config)) {
      return config;
    }
    try (var files = Files.list(config)) {
      for (Path f : files.filter(CreateCommand::isPolicyFile).sorted().toList()) {
        try {
          KeyFileEditor.addKey(Files.readString(f), agentId, ApiKeys.create(agentId));
          return f;
        } catch (RuntimeException notHere) {
          // try the next file
        }
      }
    }
    throw new IllegalArgumentException("no file in " + config + " defines agent '" + agentId + "'");
  }
}
