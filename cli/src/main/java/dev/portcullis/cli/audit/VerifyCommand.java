package dev.portcullis.cli.audit;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.Verification;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis audit verify}: walks the hash chain and names the first entry that was changed. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Check the audit log's hash chain and name the first entry that was changed.",
        "",
        "Exits 0 and prints the number of entries and the head hash when every entry is intact, 1 naming the first"
            + " entry whose content or position was changed, 2 when the log cannot be read.",
        "Keep the printed head somewhere else and pass it back later as --anchor SEQ:HASH: that also catches a"
            + " cut-off tail, which the chain alone cannot show."})
final class VerifyCommand implements Callable<Integer> {
  private static final Pattern ANCHOR = Pattern.compile("([1-9][0-9]*):([0-9a-fA-F]{64})");

  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Option(names = "--anchor", paramLabel = "SEQ:HASH",
      description = "An entry's hash recorded earlier (e.g. from a previous verify); repeatable.")
  List<String> anchors = List.of();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<Long, String> anchorMap = new LinkedHashMap<>();
    for (String anchor : anchors) {
      Matcher m = ANCHOR.matcher(anchor);
      if (!m.matches()) {
        err.println("portcullis audit verify: --anchor '" + anchor + "' is not SEQ:HASH (a sequence number from 1,"
            + " a colon and 64 hex digits), e.g. --anchor 1042:" + "ab".repeat(32));
        return AuditCommand.UNUSABLE;
      }
      anchorMap.put(Long.parseLong(m.group(1)), m.group(2));
    }
    try (AuditStore log = store.open(spec)) {
      Verification result = AuditLog.verify(log, anchorMap);
      (result.intact() ? out : err).println(result.message());
      return result.intact() ? 0 : 1;
    } catch (RuntimeException e) {
      err.println("portcullis audit verify: " + e.getMessage());
      return AuditCommand.UNUSABLE;
    }
  }
}
