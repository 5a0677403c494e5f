package dev.portcullis.policy;

import dev.portcullis.config.ConfigSource;
import dev.portcullis.config.Problems;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads and compiles a policy from a file or a directory of files; the only way to obtain a {@link Policy}. */
public final class PolicyLoader {
  private PolicyLoader() {}

  /**
   * Loads {@code fileOrDir}.
   *
   * @throws PolicyException listing every problem, each with file:line:column and a hint
   */
  public static Policy load(Path fileOrDir) {
    Problems problems = new Problems();
    ConfigSource source = ConfigSource.read(fileOrDir, problems);
    return compile(source, problems);
  }

  /** Loads a policy from text (tests, editors, the admin API); {@code name} names it in messages. */
  public static Policy fromText(String name, String yaml) {
    Map<Path, String> texts = new LinkedHashMap<>();
    texts.put(Path.of(name).toAbsolutePath(), yaml);
    Problems problems = new Problems();
    return compile(ConfigSource.fromTexts(texts, problems), problems);
  }

  private static Policy compile(ConfigSource source, Problems problems) {
    if (problems.hasErrors()) {
      throw new PolicyException(problems.all());
    }
    return new PolicyCompiler(source, problems).compile().orElseThrow(() -> new PolicyException(problems.all()));
  }
}
