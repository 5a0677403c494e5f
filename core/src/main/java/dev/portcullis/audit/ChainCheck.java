package dev.portcullis.audit;

import java.security.MessageDigest;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks rows one at a time, in seq order, against the chain rules: consecutive sequence numbers, each
 * {@code prev_hash} equal to the previous entry's hash, each hash equal to the hash of the entry's own columns. Stops
 * at the first violation. Used by {@link AuditLog#verify} over the whole chain and by the writer over the tail it
 * resumes from.
 */
final class ChainCheck {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private final MessageDigest sha256 = Row.sha256();
  private long expectedSeq;
  private String expectedPrev;
  private long checked;
  private final NavigableMap<Long, String> anchors;
  private Verification.Broken broken;

  /** A check that expects entry {@code firstSeq} to link to {@code prevHash}. */
  ChainCheck(long firstSeq, String prevHash) {
    this(firstSeq, prevHash, Map.of());
  }

  private ChainCheck(long firstSeq, String prevHash, Map<Long, String> anchors) {
    this.expectedSeq = firstSeq;
    this.expectedPrev = prevHash;
    this.anchors = new TreeMap<>(anchors);
  }

  /** A check of a whole chain; {@code anchors} are hashes recorded earlier (seq to hash) that must still be there. */
  static ChainCheck fromGenesis(Map<Long, String> anchors) {
    return new ChainCheck(1, Row.GENESIS, anchors);
  }

  /** Checks the next row; false once the chain is broken (the rest is not looked at). */
  boolean accept(Row row) {
    if (broken != null) {
      return false;
    }
    long seq = row.seq();
    String request = row.content().requestId();
    if (seq > expectedSeq) {
      String missing = seq - 1 == expectedSeq
          ? "entry " + expectedSeq + " is"
          : "entries " + expectedSeq + ".." + (seq - 1) + " are";
      return fail(expectedSeq, "", missing + " missing (deleted); the next stored entry is seq " + seq
          + " (request " + request + ")");
    }
    if (seq < expectedSeq) {
      return fail(seq, request, "sequence number " + seq + " appears again after entry " + (expectedSeq - 1));
    }
    if (!row.prevHash().equals(expectedPrev)) {
      String link = seq == 1 ? "is not the genesis value (64 zeros)"
          : "does not match the hash of entry " + (seq - 1) + " (" + abbrev(expectedPrev) + ")";
      return fail(seq, request, "its prev_hash " + abbrev(row.prevHash()) + " " + link + ": entries were reordered or"
          + " inserted here, or entry " + (seq - 1) + " was rewritten together with its hash");
    }
    if (!HEX64.matcher(row.hash()).matches()) {
      return fail(seq, request, "its stored hash '" + abbrev(row.hash()) + "' is not a SHA-256 in hex");
    }
    String recomputed = row.recomputedHash(sha256);
    if (!recomputed.equals(row.hash())) {
      return fail(seq, request, "content changed: the stored hash " + abbrev(row.hash())
          + " does not match the hash of the stored columns " + abbrev(recomputed));
    }
    String anchored = anchors.remove(seq);
    if (anchored != null && !anchored.equalsIgnoreCase(row.hash())) {
      return fail(seq, request, "its hash " + abbrev(row.hash()) + " differs from the anchor recorded for it ("
          + abbrev(anchored) + "): the chain was rewritten up to here");
    }
    expectedSeq++;
    expectedPrev = row.hash();
    checked++;
    return true;
  }

  Verification result() {
    if (broken == null && !anchors.isEmpty()) {
      long seq = anchors.firstKey();
      fail(seq, "", "entry " + seq + " is missing: the log ends at entry " + (expectedSeq - 1) + ", but an anchor"
          + " recorded entry " + seq + " with hash " + abbrev(anchors.firstEntry().getValue())
          + " (the tail of the log was cut off)");
    }
    return broken != null ? broken : new Verification.Intact(checked, expectedPrev);
  }

  private boolean fail(long seq, String request, String problem) {
    broken = new Verification.Broken(seq, request, problem, checked);
    return false;
  }

  static String abbrev(String hash) {
    return hash.length() <= 12 ? hash : hash.substring(0, 12) + "…";
  }
}
