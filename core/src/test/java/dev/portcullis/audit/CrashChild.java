package dev.portcullis.audit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The process {@link CrashTest} kills: appends entries from many virtual threads forever and prints each entry's
 * sequence number once {@link AuditLog#appendAndWait} has returned, that is once the gateway would have released the response.
 *
 * <p>Arguments: {@code sqlite FILE DURABILITY} or {@code postgres JDBC_URL SCHEMA}.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    AuditStore store = args[0].equals("sqlite")
        ? AuditStore.sqlite(Path.of(args[1]), AuditStore.Durability.valueOf(args[2]))
        : AuditStore.postgres(args[1], StoreFixture.PG_USER, "", args[2]);
    AuditLog log = AuditLog.start(store, Redactor.secrets());
    PrintStream out = System.out;
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 16; t++) {
        String session = "s-" + t;
        threads.submit(() -> {
          for (int i = 0; ; i++) {
            long seq = log.appendAndWait(Entries.call(session, i));
            synchronized (out) {
              out.println(seq);
              out.flush();
            }
          }
        });
      }
    }
  }
}
