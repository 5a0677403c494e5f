package dev.portcullis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A reference to a backend secret: an environment variable or a file, never the value itself. Resolved only where the
 * secret is injected into an upstream request; {@link #toString()} never shows the value.
 */
public sealed interface SecretRef {
  /** Resolves the secret now; fails with a message naming the variable or file (not the value) when absent. */
  String resolve();

  /** From the environment variable {@code name}. */
  record Env(String name) implements SecretRef {
    public Env {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String resolve() {
      String value = System.getenv(name);
      if (value == null || value.isEmpty()) {
        throw new IllegalStateException("secret environment variable " + name + " is not set; export it before starting Portcullis");
      }
      return value;
    }
  }

  /** From a file whose content (trailing newline stripped) is the secret. */
  record File(Path path) implements SecretRef {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String resolve() {
      try {
        return Files.readString(path).strip();
      } catch (IOException e) {
        throw new IllegalStateException("secret file " + path + " cannot be read (" + e.getMessage() + ")");
      }
    }
  }
}
