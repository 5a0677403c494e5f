package dev.portcullis.testing.demo;

import dev.portcullis.testing.kit.McpFixture;
import dev.portcullis.testing.kit.McpRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The demo tool server of the fictional company "acme": CRM, support tickets, mail, billing and a files folder, plus
 * debug hooks. Run it with {@code [--http PORT | --stdio] [--wire 2026|2025|both] [--sandbox DIR]
 * [--verify-tokens JWKS_URL --issuer ISS --audience NAME]} (default stdio). With {@code --verify-tokens}, every tool
 * call needs a valid Portcullis per-call token for that tool and those arguments (see {@code docs/verifier.md}).
 */
public final class DemoToolServer {
  public static final String NAME = "acme";
  public static final String VERSION = "1.0.0";

  private DemoToolServer() {}

  /**
   * Checks each tool call before it runs; throw an {@link dev.portcullis.testing.kit.McpError} to refuse it. The
   * hook for {@code --verify-tokens}: the per-call token check of the verifier library plugs in here.
   */
  @FunctionalInterface
  public interface CallCheck {
    CallCheck NONE = (request, tool) -> {};

    void check(McpRequest request, String tool);
  }

  /** Builds a fresh acme fixture whose files tools work inside {@code sandbox}. */
  public static McpFixture fixture(Path sandbox) throws IOException {
    return fixture(sandbox, CallCheck.NONE);
  }

  public static McpFixture fixture(Path sandbox, CallCheck check) throws IOException {
    Objects.requireNonNull(check, "check");
    AcmeData data = new AcmeData();
    McpFixture.Builder builder = McpFixture.builder(NAME, VERSION)
        .instructions("Acme's internal tools: customers (CRM), support tickets, email, refunds and shared files.");
    CrmTools.register(builder, data);
    OfficeTools.register(builder, data);
    FileTools.register(builder, new Sandbox(sandbox));
    DebugTools.register(builder, data);
    if (check != CallCheck.NONE) {
      builder.aroundTools((tool, handler) -> request -> {
        check.check(request, tool);
        return handler.handle(request);
      });
    }
    return builder.build();
  }

  public static void main(String[] args) throws Exception {
    McpFixture.silenceLibraryLogging();
    List<String> rest = new ArrayList<>();
    Path sandbox = null;
    String jwks = null;
    String issuer = null;
    String audience = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sandbox" -> sandbox = Path.of(value(args, ++i, "--sandbox", "a folder"));
        case "--verify-tokens" -> jwks = value(args, ++i, "--verify-tokens", "the gateway's JWKS URL");
        case "--issuer" -> issuer = value(args, ++i, "--issuer", "the gateway's issuer URL");
        case "--audience" -> audience = value(args, ++i, "--audience", "this upstream's name in the policy");
        default -> rest.add(args[i]);
      }
    }
    CallCheck check = CallCheck.NONE;
    if (jwks != null || issuer != null || audience != null) {
      if (jwks == null || issuer == null || audience == null) {
        System.err.println("acme: --verify-tokens JWKS_URL, --issuer ISS and --audience NAME go together (e.g."
            + " --verify-tokens http://127.0.0.1:8080/.well-known/jwks.json --issuer http://127.0.0.1:8080"
            + " --audience acme)");
        System.exit(2);
      }
      check = TokenCheck.of(URI.create(jwks), issuer, audience);
    }
    if (sandbox == null) {
      sandbox = Files.createTempDirectory("acme-files-");
      seed(sandbox);
    }
    fixture(sandbox, check).serve(rest);
  }

  private static String value(String[] args, int index, String option, String what) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs " + what);
    }
    return args[index];
  }

  /** A few starter files so files_list and files_read have something to show in a fresh temp sandbox. */
  private static void seed(Path sandbox) throws IOException {
    Files.writeString(sandbox.resolve("welcome.txt"), "Welcome to acme's shared files folder.\n");
    Files.createDirectories(sandbox.resolve("reports"));
    Files.writeString(sandbox.resolve("reports/q3-summary.txt"), "Q3: 1,204 tickets, median first reply 3h.\n");
  }
}
