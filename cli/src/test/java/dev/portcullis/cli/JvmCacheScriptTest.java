package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lib/jvm-cache.sh}, the JVM start-up cache {@code bin/portcullis} makes, run for real with this JDK on a
 * small program: the cache is made once and used, and whatever happens to it (damage, a rebuild, switched off) the
 * program still starts, silently.
 */
class JvmCacheScriptTest {
  private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/jvm-cache.sh");
  private static final String JAVA_HOME = System.getProperty("java.home");
  private static final int MAJOR = Runtime.version().feature();

  @TempDir
  Path dir;
  private Path jar;
  private Path cacheDir;

  @BeforeEach
  void program() throws IOException {
    jar = dir.resolve("probe.jar");
    writeJar(jar, "");
    cacheDir = dir.resolve("cache");
  }

  @Test
  void theCacheIsMadeOnceForThisJdkAndThenUsed() throws Exception {
    Result first = flags(Map.of());
    Result second = flags(Map.of());

    assertThat(second.stdout).isEqualTo(first.stdout);
    assertThat(second.stderr).as("no second training run").isEmpty();
    List<String> options = first.lines();
    if (MAJOR >= 25) {
      assertThat(first.stderr).contains("preparing the JVM's start-up cache");
      assertThat(options.getFirst()).startsWith("-XX:AOTCache=" + cacheDir).endsWith(".aot");
      assertThat(Path.of(options.getFirst().substring("-XX:AOTCache=".length()))).isNotEmptyFile();
      List<String> strict = new ArrayList<>(options);
      strict.add("-XX:AOTMode=on"); // fails to start unless the cache is used
      assertThat(run(strict)).isEqualTo(new Result(0, "ready\n", ""));
    } else {
      assertThat(options.getFirst()).startsWith("-XX:SharedArchiveFile=" + cacheDir);
    }
    assertThat(run(options)).isEqualTo(new Result(0, "ready\n", ""));
  }

  @Test
  void aDamagedCacheNeitherStopsStartUpNorPrintsAnything() throws Exception {
    List<String> options = flags(Map.of()).lines();
    assertThat(run(options).stdout).isEqualTo("ready\n"); // JDK 21-24: writes the archive at exit
    try (Stream<Path> files = Files.list(cacheDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".aot") || f.toString().endsWith(".jsa")).toList()) {
        Files.write(file, "not a cache".repeat(1_000).getBytes(StandardCharsets.UTF_8));
      }
    }

    Result damaged = run(options);

    assertThat(damaged.status).isZero();
    assertThat(damaged.stdout).isEqualTo("ready\n");
    if (MAJOR >= 25) {
      assertThat(damaged.stderr).isEmpty();
    }
  }

  @Test
  void aRebuiltProgramGetsANewCacheAndTheOldOneGoes() throws Exception {
    String before = flags(Map.of()).lines().getFirst();
    writeJar(jar, "rebuilt");
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));

    String after = flags(Map.of()).lines().getFirst();

    assertThat(after).isNotEqualTo(before);
    assertThat(run(List.of(after, "-Xlog:aot=off", "-Xlog:cds=off")).stdout).isEqualTo("ready\n");
    if (MAJOR >= 25) {
      try (Stream<Path> files = Files.list(cacheDir)) {
        assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".aot")).toList())
            .containsExactly(Path.of(after.substring("-XX:AOTCache=".length())).getFileName().toString());
      }
    }
  }

  @Test
  void theDynamicArchiveOfJdk21To24IsMadeByTheFirstRunAndUsedByTheNext() throws Exception {
    List<String> options = flags(Map.of("PORTCULLIS_JVM_CACHE", "cds")).lines();
    assertThat(options.getFirst()).startsWith("-XX:SharedArchiveFile=").endsWith(".jsa");
    assertThat(options).contains("-XX:+AutoCreateSharedArchive");
    Path archive = Path.of(options.getFirst().substring("-XX:SharedArchiveFile=".length()));

    assertThat(run(options)).isEqualTo(new Result(0, "ready\n", ""));
    assertThat(archive).isNotEmptyFile();
    assertThat(run(options)).isEqualTo(new Result(0, "ready\n", ""));
  }

  @Test
  void switchedOffThereAreNoOptions() throws Exception {
    Result off = flags(Map.of("PORTCULLIS_JVM_CACHE", "off"));

    assertThat(off.stdout).isEmpty();
    assertThat(cacheDir).doesNotExist();
  }

  private record Result(int status, String stdout, String stderr) {
    List<String> lines() {
      return Arrays.stream(stdout.split("\n")).filter(l -> !l.isEmpty()).toList();
    }
  }

  private Result flags(Map<String, String> env) throws Exception {
    Result r = exec(List.of("bash", "-c", ". \"$1\"; portcullis_jvm_cache_flags \"$2\" \"$3\" " + CacheProbeMain.class.getName(),
        "test", SCRIPT.toString(), cacheDir.toString(), jar.toString()), env);
    assertThat(r.status).as("status of the script (stderr: %s)", r.stderr).isZero();
    return r;
  }

  private Result run(List<String> options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(JAVA_HOME, "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(options);
    command.addAll(List.of("-cp", jar.toString(), CacheProbeMain.class.getName()));
    return exec(command, Map.of());
  }

  private Result exec(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", JAVA_HOME);
    pb.environment().remove("PORTCULLIS_JVM_CACHE");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** The probe program as a jar (the JVM caches classes from jars, not directories); {@code extra} varies it. */
  private static void writeJar(Path jar, String extra) throws IOException {
    String name = CacheProbeMain.class.getName().replace('.', '/') + ".class";
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = CacheProbeMain.class.getClassLoader().getResourceAsStream(name)) {
      out.putNextEntry(new JarEntry(name));
      in.transferTo(out);
      out.closeEntry();
      out.putNextEntry(new JarEntry("build.txt"));
      out.write(extra.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
