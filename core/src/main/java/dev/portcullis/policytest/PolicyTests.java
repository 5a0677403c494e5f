package dev.portcullis.policytest;

import dev.portcullis.config.ConfigSource;
import dev.portcullis.config.Fields;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Node;
import dev.portcullis.config.Problems;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs policy unit tests written in YAML ({@code *.tests.yaml}), like {@code opa test}: each case names an agent, a
 * tool (or prompt, or resource), arguments and session history, and expects an effect and a rule id. See
 * docs/policy.md#policy-tests for the format.
 */
public final class PolicyTests {
  private static final Set<String> FILE_KEYS = Set.of("policy", "tools", "tests");

  private PolicyTests() {}

  /** The outcome of one test case. */
  public record CaseResult(String name, Mark mark, boolean passed, List<String> details) {
    public CaseResult {
      details = List.copyOf(details);
    }
  }

  /** The outcome of one test file; {@code error} is set when the file or its policy could not be loaded. */
  public record FileResult(Path file, Optional<Path> policy, List<CaseResult> cases, Optional<String> error) {
    public FileResult {
      cases = List.copyOf(cases);
    }

    public boolean passed() {
      return error.isEmpty() && cases.stream().allMatch(CaseResult::passed);
    }
  }

  /** All files run. */
  public record Report(List<FileResult> files) {
    public Report {
      files = List.copyOf(files);
    }

    public boolean passed() {
      return !files.isEmpty() && files.stream().allMatch(FileResult::passed);
    }

    public long total() {
      return files.stream().mapToLong(f -> f.cases().size()).sum();
    }

    public long failed() {
      return files.stream().mapToLong(f -> f.cases().stream().filter(c -> !c.passed()).count()).sum();
    }

    /** Human-readable output: one line per case, expected vs actual under each failure, a summary line. */
    public String render(boolean verbose) {
      StringBuilder out = new StringBuilder();
      for (FileResult f : files) {
        out.append(f.file()).append(f.policy().map(p -> "  (policy " + p + ")").orElse("")).append('\n');
        f.error().ifPresent(e -> out.append("  ERROR ").append(e.replace("\n", "\n        ")).append('\n'));
        for (CaseResult c : f.cases()) {
          if (c.passed() && !verbose) {
            continue;
          }
          out.append(c.passed() ? "  PASS  " : "  FAIL  ").append(c.name());
          if (!c.passed()) {
            out.append("  (").append(c.mark()).append(')');
          }
          out.append('\n');
          for (String d : c.details()) {
            out.append("        ").append(d.replace("\n", "\n        ")).append('\n');
          }
        }
      }
      long errors = files.stream().filter(f -> f.error().isPresent()).count();
      out.append(failed() == 0 && errors == 0 ? "PASS" : "FAIL").append(": ").append(total() - failed()).append('/')
          .append(total()).append(" tests passed");
      if (errors > 0) {
        out.append(", ").append(errors).append(errors == 1 ? " file" : " files").append(" could not be run");
      }
      return out.append('\n').toString();
    }
  }

  /**
   * Runs {@code path}: one {@code *.tests.yaml} file, or every such file in a directory. {@code policy} overrides the
   * policy a test file names.
   */
  public static Report run(Path path, Optional<Path> policy) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        list.filter(p -> p.getFileName().toString().matches(".*\\.tests\\.ya?ml")).sorted().forEach(files::add);
      } catch (IOException e) {
        return new Report(List.of(new FileResult(path, Optional.empty(), List.of(), Optional.of(e.toString()))));
      }
    } else {
      files.add(path);
    }
    if (files.isEmpty()) {
      return new Report(List.of(new FileResult(path, Optional.empty(), List.of(),
          Optional.of("no *.tests.yaml file in " + path))));
    }
    return new Report(files.stream().map(f -> runFile(f, policy)).toList());
  }

  private static FileResult runFile(Path file, Optional<Path> override) {
    Problems problems = new Problems();
    ConfigSource source = ConfigSource.read(file, problems);
    Fields f = Fields.of(source.root(), "a policy test file", problems, FILE_KEYS);
    Path policyPath = override.orElseGet(() -> f.string("policy")
        .map(p -> file.toAbsolutePath().getParent().resolve(p).normalize())
        .orElseGet(() -> sibling(file)));
    if (problems.hasErrors()) {
      return new FileResult(file, Optional.of(policyPath), List.of(), Optional.of(render(problems)));
    }
    Policy policy;
    try {
      policy = PolicyLoader.load(policyPath);
    } catch (PolicyException e) {
      return new FileResult(file, Optional.of(policyPath), List.of(), Optional.of(e.getMessage()));
    }
    TestCatalog catalog = new TestCatalog(policy, f.get("tools"), problems);
    List<TestCase> cases = new ArrayList<>();
    f.get("tests").ifPresentOrElse(n -> {
      if (n instanceof Node.SeqNode seq) {
        seq.items().forEach(item -> TestCase.parse(item, problems).ifPresent(cases::add));
      } else {
        problems.error(n.mark(), "tests must be a list of cases, found " + n.describe(), "write each case as '- name: ...'");
      }
    }, () -> problems.error(f.mark(), "the test file has no 'tests'", "add a list of cases under tests:"));
    if (problems.hasErrors()) {
      return new FileResult(file, Optional.of(policyPath), List.of(), Optional.of(render(problems)));
    }
    return new FileResult(file, Optional.of(policyPath), cases.stream().map(c -> c.run(policy, catalog)).toList(),
        Optional.empty());
  }

  private static Path sibling(Path testFile) {
    String name = testFile.getFileName().toString().replaceFirst("\\.tests\\.ya?ml$", ".yaml");
    return testFile.toAbsolutePath().resolveSibling(name);
  }

  private static String render(Problems problems) {
    return String.join("\n", problems.all().stream().map(Object::toString).toList());
  }
}
