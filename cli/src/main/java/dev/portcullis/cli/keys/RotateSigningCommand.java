package dev.portcullis.cli.keys;

import dev.portcullis.config.CredentialsConfig;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import dev.portcullis.token.SigningKeys;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis keys rotate-signing}: a new signing key for the gateway's per-call and sub-agent tokens. The old
 * key stays published in the JWKS for the overlap window, so tokens it signed keep verifying until they expire; a
 * running gateway re-reads the key directory within seconds.
 */
@Command(name = "rotate-signing", mixinStandardHelpOptions = true,
    description = {"Make a new key sign the gateway's tokens. The previous key stays in /.well-known/jwks.json for "
        + "the overlap window (20 min), so nothing in flight breaks; a running gateway picks the new key up within "
        + "seconds."})
final class RotateSigningCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  static final class Where {
    @Option(names = "--data", paramLabel = "DIR", description = "The gateway's data directory (as given to serve --data).")
    Path data;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Policy file whose server.data_dir to use.")
    Path config;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dataDir;
    if (where.data != null) {
      dataDir = where.data;
    } else {
      try {
        dataDir = PolicyLoader.load(where.config).server().dataDir();
      } catch (PolicyException e) {
        err.println("portcullis keys rotate-signing: " + where.config + " does not load, fix it first:\n"
            + e.getMessage());
        return 2;
      }
    }
    Path dir = dataDir.resolve("signing-keys");
    try {
      // this command only writes a key: the JDK checks it without loading a native library; the gateway signs
      SigningKeys keys = SigningKeys.open(dir, SigningKeys.DEFAULT_OVERLAP, Clock.systemUTC(),
          CredentialsConfig.Signer.JDK);
      String previous = keys.currentKeyId();
      String current = keys.rotate();
      out.println("New signing key " + current + " in " + dir + " (previous " + previous + " stays published for "
          + SigningKeys.DEFAULT_OVERLAP.toMinutes() + " min).");
      out.println("A running gateway signs with it within seconds; tool servers fetch it on its first unknown kid.");
      out.flush();
      return 0;
    } catch (UncheckedIOException | IllegalArgumentException e) {
      err.println("portcullis keys rotate-signing: cannot rotate the keys in " + dir + ": " + e.getMessage());
      return 1;
    }
  }
}
