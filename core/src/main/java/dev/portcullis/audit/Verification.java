package dev.portcullis.audit;

/** The result of walking the chain with {@link AuditLog#verify}: intact, or the first entry that was changed. */
public sealed interface Verification {
  /** True when every entry checked out. */
  boolean intact();

  /** One line for people: what was found. */
  String message();

  /**
   * Every entry's hash matches its content and links to the one before.
   *
   * @param entries how many entries were checked
   * @param headHash the newest entry's hash (the genesis value when the log is empty); record it elsewhere to detect
   *     the tail of the log being cut off later
   */
  record Intact(long entries, String headHash) implements Verification {
    @Override
    public boolean intact() {
      return true;
    }

    @Override
    public String message() {
      return "chain intact: " + entries + " entries, head " + headHash;
    }
  }

  /**
   * The first entry whose content or position was changed.
   *
   * @param seq the broken entry's sequence number (for a deleted entry: the number that is missing)
   * @param requestId the request id stored in the entry at that position, or empty when the entry is missing
   * @param problem what is wrong, in words
   * @param entriesBefore how many entries before it checked out
   */
  record Broken(long seq, String requestId, String problem, long entriesBefore) implements Verification {
    @Override
    public boolean intact() {
      return false;
    }

    @Override
    public String message() {
      return "chain broken at entry seq " + seq + (requestId.isEmpty() ? "" : " (request " + requestId + ")") + ": "
          + problem + " [" + entriesBefore + " entries before it verified]";
    }
  }
}
