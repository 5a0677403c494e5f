package dev.portcullis.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the policy may know about the session a call belongs to. State is kept per credential, so an agent that drops
 * or forges its session handle cannot shed it (see docs/sessions.md).
 */
public interface SessionView {
  /** The session id shown in the audit log and trajectories. */
  String id();

  /** When the session started. */
  Instant startedAt();

  /** Number of tool calls made so far in this session (allowed or not). */
  long calls();

  /** Labels collected from the tools called so far ({@code private_data}, {@code untrusted_content}, ...). */
  Set<String> labels();

  /** Names of the tools that were allowed and called so far, each once, in order of first call; read-only. */
  List<String> toolsCalled();
}
