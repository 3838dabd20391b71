package io.graphloop.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The heads (newest checkpoint ids) of the threads a {@link SqliteBatchWriter} knows, so that fencing a batch's puts
 * needs no read of the heads it wrote itself: a thread's head is known once it was read or written by this writer,
 * and stays true as long as no other connection has changed the database. That is checked at the start of every
 * transaction with SQLite's {@code PRAGMA data_version} (it changes when any other connection, in this process or
 * another, commits), as the transaction's first statement, which fixes its snapshot: a commit by another connection
 * after the check makes SQLite refuse the transaction's writes ({@code SQLITE_BUSY_SNAPSHOT}), and the writer then
 * forgets everything and retries; when the version changed, everything known is forgotten and read again. The store's own
 * deletes and prunes forget the threads they touch ({@link #forget}); a failed transaction forgets everything
 * ({@link #forgetAll}), as it may have left the database in a state the memory does not describe.
 *
 * <p>Bounded: at most {@code max} threads are kept (about 150 bytes each), the least recently learned forgotten first
 * (a forgotten head is read again when needed); {@code max} 0 keeps none (every batch reads its heads).
 *
 * <p>Thread rules: used only on the store's single worker thread (not thread-safe).
 */
final class SqliteHeads {

  /** The known head of a thread known to have no checkpoint. */
  private static final String NONE = "";

  private final int max;
  private final LinkedHashMap<String, String> known;
  /** The {@code data_version} the known heads are true for; -1: none seen yet. */
  private long dataVersion = -1;

  SqliteHeads(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    this.max = max;
    this.known = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > SqliteHeads.this.max;
      }
    };
  }

  /**
   * Called at the start of each transaction with the database's {@code data_version}: when it is not the one the
   * known heads were learned under, another connection has committed since, and every known head is forgotten.
   */
  void checkDataVersion(long version) {
    if (version != dataVersion) {
      known.clear();
      dataVersion = version;
    }
  }

  /** Whether the head of {@code threadId} is known (possibly as "no checkpoint"). */
  boolean knows(String threadId) {
    return known.containsKey(threadId);
  }

  /** The known head of {@code threadId}, {@code null} when it has no checkpoint; only when {@link #knows}. */
  String head(String threadId) {
    String head = known.get(threadId);
    return head == null || head.isEmpty() ? null : head;
  }

  /** Remembers {@code head} ({@code null}: no checkpoint) as the committed head of {@code threadId}. */
  void learn(String threadId, String head) {
    if (max > 0) {
      known.remove(threadId); // re-inserted: the most recently learned goes last, so the oldest is evicted first
      known.put(threadId, head == null ? NONE : head);
    }
  }

  /** Forgets the head of {@code threadId} (its next fenced save reads it). */
  void forget(String threadId) {
    known.remove(threadId);
  }

  /** Forgets every head (a failed transaction, a change the writer cannot follow). */
  void forgetAll() {
    known.clear();
  }

  /** How many heads are known (for tests). */
  int size() {
    return known.size();
  }
}
