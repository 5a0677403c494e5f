package dev.portcullis.cli.audit;

import dev.portcullis.audit.AuditStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where the audit log is: a SQLite file ({@code --db}) or a PostgreSQL schema ({@code --url}, {@code --schema}). */
final class StoreOptions {
  static final String DEFAULT_DB = "data/audit.db";

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Location location;

  static final class Location {
    @Option(names = "--db", paramLabel = "PATH",
        description = "SQLite audit log file (default: " + DEFAULT_DB + ").")
    Path db;

    @Option(names = "--url", paramLabel = "JDBC",
        description = "PostgreSQL audit log, e.g. jdbc:postgresql://127.0.0.1:5432/portcullis.")
    String url;
  }

  @Option(names = "--schema", paramLabel = "NAME", defaultValue = "portcullis",
      description = "PostgreSQL schema holding the log (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(names = "--user", paramLabel = "NAME", defaultValue = "postgres",
      description = "PostgreSQL user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "PGPASSWORD",
      description = "Environment variable holding the PostgreSQL password (default: ${DEFAULT-VALUE}).")
  String passwordEnv;

  /** Opens the log for reading; throws with a message naming the location when there is no log there. */
  AuditStore open(CommandSpec spec) {
    boolean postgres = location != null && location.url != null;
    for (String option : List.of("--schema", "--user", "--password-env")) {
      if (!postgres && spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new IllegalArgumentException(option + " applies to a PostgreSQL audit log only; add --url JDBC, or"
            + " drop " + option + " to read the SQLite file");
      }
    }
    if (postgres) {
      String password = Objects.requireNonNullElse(System.getenv(passwordEnv), "");
      return AuditStore.readPostgres(location.url, user, password, schema);
    }
    Path db = location != null && location.db != null ? location.db : Path.of(DEFAULT_DB);
    return AuditStore.readSqlite(db);
  }
}
