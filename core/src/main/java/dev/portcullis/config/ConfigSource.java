package dev.portcullis.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The configuration as written: one YAML file, or every {@code *.yaml}/{@code *.yml} file of a directory merged into
 * one tree. Mapping sections ({@code upstreams}, {@code tools}, {@code labels}, {@code agents}, {@code roles},
 * {@code budgets}) merge by key and a key defined in two files is an error; {@code rules} lists concatenate in file
 * name order; any other section may appear in one file only. Policy test files ({@code *.tests.yaml}) and hidden files
 * in a directory are skipped.
 *
 * @param files the files read, in merge order
 * @param root the merged top-level mapping
 * @param version SHA-256 (hex) over the files' names and contents: the policy version recorded in audit entries
 */
public record ConfigSource(List<Path> files, Node.MapNode root, String version) {
  private static final Set<String> MAP_SECTIONS = Set.of("upstreams", "tools", "labels", "agents", "roles", "budgets");
  private static final Set<String> LIST_SECTIONS = Set.of("rules");

  public ConfigSource {
    files = List.copyOf(files);
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(version, "version");
  }

  /** Reads {@code fileOrDir}; every problem goes to {@code problems} (the result is then partial). */
  public static ConfigSource read(Path fileOrDir, Problems problems) {
    Path path = fileOrDir.toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        list.filter(ConfigSource::isPolicyFile).sorted().forEach(files::add);
      } catch (IOException e) {
        problems.error(new Mark(path, 0, 0), "cannot list policy directory: " + e.getMessage(), "");
      }
      if (files.isEmpty()) {
        problems.error(new Mark(path, 0, 0), "policy directory holds no *.yaml or *.yml file",
            "point Portcullis at a policy file or a directory of them");
      }
    } else if (Files.isRegularFile(path)) {
      files.add(path);
    } else {
      problems.error(new Mark(path, 0, 0), "policy file does not exist", "check the path (relative to "
          + Path.of("").toAbsolutePath() + ")");
    }
    Map<Path, String> texts = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        texts.put(file, Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        problems.error(new Mark(file, 0, 0), "cannot read policy file: " + e.getMessage(), "");
      }
    }
    return fromTexts(texts, problems);
  }

  /** Builds a source from in-memory texts (tests, editors); the paths only name the texts in messages. */
  public static ConfigSource fromTexts(Map<Path, String> texts, Problems problems) {
    List<Node.MapNode> roots = new ArrayList<>();
    for (Map.Entry<Path, String> e : texts.entrySet()) {
      YamlReader.read(e.getKey(), e.getValue(), problems).ifPresent(node -> {
        if (node instanceof Node.MapNode map) {
          roots.add(map);
        } else {
          problems.error(node.mark(), "a policy file must be a mapping of sections (version, agents, roles, ...), found "
              + node.describe(), "start the file with 'version: 1'");
        }
      });
    }
    Path first = texts.isEmpty() ? Path.of("<empty>") : texts.keySet().iterator().next();
    return new ConfigSource(List.copyOf(texts.keySet()), merge(first, roots, problems), hash(texts));
  }

  private static boolean isPolicyFile(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml"))
        && !name.endsWith(".tests.yaml") && !name.endsWith(".tests.yml");
  }

  private static Node.MapNode merge(Path first, List<Node.MapNode> roots, Problems problems) {
    if (roots.size() == 1) {
      return roots.get(0);
    }
    Map<String, List<Node.Entry>> sections = new LinkedHashMap<>();
    for (Node.MapNode root : roots) {
      for (Node.Entry e : root.entries()) {
        sections.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
      }
    }
    List<Node.Entry> merged = new ArrayList<>();
    for (Map.Entry<String, List<Node.Entry>> section : sections.entrySet()) {
      List<Node.Entry> parts = section.getValue();
      Node.Entry head = parts.get(0);
      if (parts.size() == 1) {
        merged.add(head);
      } else if (MAP_SECTIONS.contains(section.getKey())) {
        merged.add(new Node.Entry(head.key(), head.keyMark(), mergeMaps(parts, problems)));
      } else if (LIST_SECTIONS.contains(section.getKey())) {
        List<Node> items = new ArrayList<>();
        for (Node.Entry part : parts) {
          if (part.value() instanceof Node.SeqNode seq) {
            items.addAll(seq.items());
          } else {
            problems.error(part.value().mark(), "'" + part.key() + "' must be a list, found " + part.value().describe(),
                "write it as a YAML list ('- id: ...')");
          }
        }
        merged.add(new Node.Entry(head.key(), head.keyMark(), new Node.SeqNode(head.value().mark(), items)));
      } else if (section.getKey().equals("version") && parts.stream().allMatch(
          p -> p.value() instanceof Node.ScalarNode s && Objects.equals(s.text(), ((Node.ScalarNode) head.value()).text()))) {
        merged.add(head);
      } else {
        for (Node.Entry part : parts.subList(1, parts.size())) {
          problems.error(part.keyMark(), "section '" + part.key() + "' is defined in more than one file (also at "
              + head.keyMark() + ")", "keep '" + part.key() + "' in one file of the policy directory");
        }
        merged.add(head);
      }
    }
    return new Node.MapNode(new Mark(first, 1, 1), merged);
  }

  private static Node.MapNode mergeMaps(List<Node.Entry> parts, Problems problems) {
    Map<String, Node.Entry> byKey = new LinkedHashMap<>();
    for (Node.Entry part : parts) {
      if (!(part.value() instanceof Node.MapNode map)) {
        if (!(part.value() instanceof Node.ScalarNode s && s.isNull())) {
          problems.error(part.value().mark(), "'" + part.key() + "' must be a mapping, found " + part.value().describe(),
              "write it as 'name: {...}' entries");
        }
        continue;
      }
      for (Node.Entry e : map.entries()) {
        Node.Entry previous = byKey.putIfAbsent(e.key(), e);
        if (previous != null) {
          problems.error(e.keyMark(), part.key() + " '" + e.key() + "' is defined twice (also at " + previous.keyMark()
              + ")", "rename one of them or delete the duplicate; files of a policy directory must not overlap");
        }
      }
    }
    return new Node.MapNode(parts.get(0).value().mark(), List.copyOf(byKey.values()));
  }

  private static String hash(Map<Path, String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<Path, String> e : texts.entrySet()) {
        sha.update(e.getKey().getFileName().toString().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
