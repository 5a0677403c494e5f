package dev.portcullis.testing.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The folder the files_* tools may touch; a path that resolves outside it (via .., absolute, symlink) is refused. */
final class Sandbox {
  private final Path root;

  Sandbox(Path root) throws IOException {
    Files.createDirectories(root);
    this.root = root.toRealPath();
  }

  Path root() {
    return root;
  }

  /** Resolves a sandbox-relative path; throws a tool-facing error when it would leave the sandbox. */
  Path resolve(String relative) {
    if (relative.indexOf('\0') >= 0) {
      throw escape(relative, "contains a NUL character");
    }
    Path candidate;
    try {
      candidate = root.resolve(relative).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw escape(relative, "is not a valid path");
    }
    if (!candidate.startsWith(root)) {
      throw escape(relative, "resolves outside the sandbox");
    }
    Path existing = candidate;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    try {
      if (existing != null && !existing.toRealPath().startsWith(root)) {
        throw escape(relative, "follows a symbolic link out of the sandbox");
      }
    } catch (IOException e) {
      throw escape(relative, "cannot be resolved: " + e.getMessage());
    }
    return candidate;
  }

  String relative(Path path) {
    String text = root.relativize(path).toString();
    return text.isEmpty() ? "." : text;
  }

  private static IllegalArgumentException escape(String path, String why) {
    return new IllegalArgumentException("path '" + path + "' " + why + "; files_* tools only reach paths inside "
        + "the sandbox (use a relative path such as notes/todo.txt)");
  }
}
