package dev.portcullis.cli.audit;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.AuditStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis audit trace SESSION}: prints a session's calls as a timeline. */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = {
        "Print a session's calls as a readable timeline.",
        "",
        "For each call: time offset, entry number, agent (after the agents it acts for), tool and arguments,"
            + " decision and rule, outcome, upstream latency and result excerpt.",
        "Exits 1 when the session has no entries, 2 when the log cannot be read."})
final class TraceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Parameters(index = "0", paramLabel = "SESSION", description = "The session id, as shown in the audit log.")
  String session;

  @Override
  public Integer call() {
    try (AuditStore log = store.open(spec)) {
      List<AuditRecord> records = log.session(session);
      if (records.isEmpty()) {
        spec.commandLine().getErr().println("portcullis audit trace: no entries for session '" + session + "' in "
            + log.location());
        return 1;
      }
      spec.commandLine().getOut().print(AuditLog.trace(session, records));
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("portcullis audit trace: " + e.getMessage());
      return AuditCommand.UNUSABLE;
    }
  }
}
