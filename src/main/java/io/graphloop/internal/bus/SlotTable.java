package io.graphloop.internal.bus;

import java.util.ArrayList;
import java.util.List;

/**
 * Values kept under keys this table chooses: a key is a slot number ({@value #SLOT_BITS} low bits) under
 * {@value #RANDOM_BITS} random bits, so a lookup is one array read and a comparison (no hashing, no probing), and a
 * key of a removed value does not find the value that reuses its slot unless the random bits repeat (1 in 2^39).
 *
 * <p><b>Why not a hash map of random keys</b> (what {@link PendingReplies} had, {@code LongKeyMap}): with 100,000 runs
 * in flight, each of a burst's lookups of a random key landed on a random cache line of a table of megabytes: a JFR
 * profile of 100,000-run bursts had 21% of the event loops' samples in that lookup (issue 17, BENCHMARKS.md). Here
 * slots are handed out in order (freed ones first, last freed first), so values added together sit together, as do
 * the answers, which come back in about the order of the requests.
 *
 * <p><b>Memory</b>: 12 bytes per slot (its key and value reference) plus 4 per free slot; the slots grow by doubling
 * with the values held at once, up to {@value #MAX_SLOTS}, and go back to {@value #KEEP_SLOTS} when the table is
 * empty (a burst's slots are given back when it has drained). A table that never empties keeps the slots of its peak.
 *
 * <p>Thread rules: none; confine an instance to one thread (here, one event loop).
 *
 * @param <V> the value type
 */
final class SlotTable<V> {

  /** Low bits of a key: its slot. */
  static final int SLOT_BITS = 24;
  /** Random bits above the slot (the key's sign bit stays 0: keys are above 0). */
  static final int RANDOM_BITS = 63 - SLOT_BITS;
  /** At most this many values at once. */
  static final int MAX_SLOTS = 1 << SLOT_BITS;
  private static final long SLOT_MASK = MAX_SLOTS - 1;
  private static final int MIN_SLOTS = 16;
  /** An emptied table shrinks back to this many slots. */
  static final int KEEP_SLOTS = 1_024;

  private long[] keys = new long[MIN_SLOTS];
  private Object[] values = new Object[MIN_SLOTS];
  /** Freed slots, the last freed on top. */
  private int[] free = new int[MIN_SLOTS];
  private int freeCount;
  /** Slots from here up were never used since the table was last emptied. */
  private int next;
  private int size;

  /**
   * Stores {@code value} under a new key (above 0) and returns it.
   *
   * @throws IllegalStateException when {@value #MAX_SLOTS} values are held already
   */
  long add(V value) {
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      if (next == keys.length) {
        if (keys.length == MAX_SLOTS) {
          throw new IllegalStateException("More than " + MAX_SLOTS + " replies are waited for on one event loop; "
              + "bound the runs or node calls in flight (maxPendingRuns, maxInFlightRuns) below that.");
        }
        grow(keys.length * 2);
      }
      slot = next++;
    }
    long random;
    do {
      random = SecureIds.nextLong() >>> (64 - RANDOM_BITS);
    } while (random == 0); // keys are above 0 and never a bare slot number
    long key = (random << SLOT_BITS) | slot;
    keys[slot] = key;
    values[slot] = value;
    size++;
    return key;
  }

  /** The value under {@code key}, or {@code null}. */
  @SuppressWarnings("unchecked")
  V get(long key) {
    int slot = slotOf(key);
    return slot < 0 ? null : (V) values[slot];
  }

  /** Removes and returns the value under {@code key}, or {@code null} when there is none. */
  @SuppressWarnings("unchecked")
  V remove(long key) {
    int slot = slotOf(key);
    if (slot < 0) {
      return null;
    }
    V value = (V) values[slot];
    keys[slot] = 0;
    values[slot] = null;
    size--;
    if (size == 0) {
      empty(Math.min(keys.length, KEEP_SLOTS));
    } else {
      if (freeCount == free.length) {
        free = java.util.Arrays.copyOf(free, Math.min(keys.length, free.length * 2));
      }
      free[freeCount++] = slot;
    }
    return value;
  }

  int size() {
    return size;
  }

  /** Slots the table has now (for tests). */
  int capacity() {
    return keys.length;
  }

  /** Every value, in no particular order. */
  @SuppressWarnings("unchecked")
  List<V> values() {
    List<V> all = new ArrayList<>(size);
    for (int i = 0; i < next; i++) {
      if (keys[i] != 0) {
        all.add((V) values[i]);
      }
    }
    return all;
  }

  /** Drops every value. */
  void clear() {
    keys = new long[MIN_SLOTS];
    values = new Object[MIN_SLOTS];
    free = new int[MIN_SLOTS];
    freeCount = 0;
    next = 0;
    size = 0;
  }

  /** The slot holding {@code key}, or -1. */
  private int slotOf(long key) {
    if (key <= 0) {
      return -1;
    }
    int slot = (int) (key & SLOT_MASK);
    return slot < next && keys[slot] == key ? slot : -1;
  }

  private void grow(int slots) {
    keys = java.util.Arrays.copyOf(keys, slots);
    values = java.util.Arrays.copyOf(values, slots);
  }

  /** Once no value is held (every slot already cleared): forgets the free slots and keeps {@code slots} of them. */
  private void empty(int slots) {
    if (keys.length != slots) {
      keys = new long[slots];
      values = new Object[slots];
    }
    if (free.length > slots) {
      free = new int[Math.max(MIN_SLOTS, slots)];
    }
    freeCount = 0;
    next = 0;
  }

  @Override
  public String toString() {
    return "SlotTable(size " + size + ", slots " + keys.length + ", used " + next + ", free " + freeCount + ")";
  }
}
