package dev.portcullis.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Hot reload: polls the policy file (or directory) for changed content, validates the new version and swaps it in
 * atomically. An invalid edit keeps the last good policy and is reported (listener, counter, {@link #lastError()}).
 * Calls already being decided keep the {@link Policy} object they started with, since a policy is immutable.
 *
 * <p>Polling (not a file-system watch service) notices edits made by replacing files or symlinks, as editors and
 * Kubernetes config maps do, and costs a read of a few small files per interval.
 */
public final class PolicyWatcher implements AutoCloseable {
  /** Hears about swaps and refused edits; called on the watcher's thread. */
  public interface Listener {
    default void reloaded(Policy previous, Policy current) {}

    default void rejected(PolicyException error) {}
  }

  private final Path path;
  private final Listener listener;
  private final AtomicReference<Policy> current;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<PolicyException> lastError = new AtomicReference<>();
  private final ScheduledExecutorService timer;
  private String seen;

  private PolicyWatcher(Path path, Policy initial, Listener listener, Duration interval) {
    this.path = path;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    this.seen = fingerprint();
    if (interval == null) {
      this.timer = null;
    } else {
      this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portcullis-policy-watcher");
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(10, interval.toMillis());
      timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Watches {@code fileOrDir}, polling every {@code interval}, starting from the already loaded {@code initial}. */
  public static PolicyWatcher start(Path fileOrDir, Policy initial, Duration interval, Listener listener) {
    return new PolicyWatcher(fileOrDir, initial, listener, Objects.requireNonNull(interval, "interval"));
  }

  /** A watcher without a timer: changes are picked up only by {@link #checkNow()} (tests, the admin API). */
  public static PolicyWatcher manual(Path fileOrDir, Policy initial, Listener listener) {
    return new PolicyWatcher(fileOrDir, initial, listener, null);
  }

  /** The policy to decide the next call with. */
  public Policy current() {
    return current.get();
  }

  /** Successful swaps so far. */
  public long reloads() {
    return reloads.get();
  }

  /** Edits refused so far (each refused version is counted once). */
  public long failures() {
    return failures.get();
  }

  /** Why the newest edit was refused, while the files are still in that state; empty once a valid version loads. */
  public Optional<PolicyException> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  /**
   * Looks for a change now and loads it if there is one. Returns true when a new policy was swapped in.
   */
  public synchronized boolean checkNow() {
    String now = fingerprint();
    if (now.equals(seen)) {
      return false;
    }
    seen = now;
    Policy next;
    try {
      next = PolicyLoader.load(path);
    } catch (PolicyException e) {
      failures.incrementAndGet();
      lastError.set(e);
      listener.rejected(e);
      return false;
    }
    lastError.set(null);
    Policy previous = current.getAndSet(next);
    if (previous.version().equals(next.version())) {
      return false;
    }
    reloads.incrementAndGet();
    listener.reloaded(previous, next);
    return true;
  }

  private void poll() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      // a listener or the file system failed; keep polling, the next change gets a new chance
    }
  }

  /** SHA-256 over the names and contents of the policy files, in merge order. */
  private String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file : files()) {
        sha.update(file.getFileName().toString().getBytes());
        sha.update((byte) 0);
        try {
          sha.update(Files.readAllBytes(file));
        } catch (IOException e) {
          sha.update(("unreadable:" + e.getMessage()).getBytes());
        }
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Path> files() {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        list.filter(p -> {
          String n = p.getFileName().toString();
          return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.matches(".*\\.tests\\.ya?ml");
        }).sorted().forEach(out::add);
      } catch (IOException e) {
        // reported by the loader when it runs
      }
    } else {
      out.add(path);
    }
    return out;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
