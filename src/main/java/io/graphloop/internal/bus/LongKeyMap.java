package io.graphloop.internal.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A hash map from positive {@code long} keys to values, with open addressing and linear probing: no boxed key and no
 * node object per entry, which matters where one entry lives per run or per node call in flight (100,000 runs in
 * flight held about 170 bytes per entry in a {@code HashMap<Long, ...>} plus a {@code LinkedHashMap} beside it).
 * Removal shifts the following entries back, so there are no tombstones and lookups stay short.
 *
 * <p>Thread rules: none; confine an instance to one thread (here, one event loop).
 *
 * @param <V> the value type
 */
final class LongKeyMap<V> {

  private static final int MIN_CAPACITY = 16;
  /** Shrinking stops here: a table this small costs little to keep, and a busy owner would regrow it at once. */
  private static final int KEEP_CAPACITY = 1_024;
  private static final long EMPTY = 0;

  private long[] keys = new long[MIN_CAPACITY];
  private Object[] values = new Object[MIN_CAPACITY];
  private int size;

  /** Stores {@code value} under {@code key} (which must be above 0), replacing any value it had. */
  void put(long key, V value) {
    if (key <= EMPTY) {
      throw new IllegalArgumentException("keys must be above 0, was " + key);
    }
    if ((size + 1) * 2 > keys.length) {
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        values[slot] = value;
        return;
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    values[slot] = value;
    size++;
  }

  /** The value under {@code key}, or {@code null}. */
  @SuppressWarnings("unchecked")
  V get(long key) {
    int slot = find(key);
    return slot < 0 ? null : (V) values[slot];
  }

  /** Removes and returns the value under {@code key}, or {@code null} when there is none. */
  @SuppressWarnings("unchecked")
  V remove(long key) {
    int slot = find(key);
    if (slot < 0) {
      return null;
    }
    V value = (V) values[slot];
    int mask = keys.length - 1;
    // Backward-shift deletion: move up every following entry of the probe run that may sit in the freed slot.
    int free = slot;
    int next = (free + 1) & mask;
    while (keys[next] != EMPTY) {
      int home = slot(keys[next], mask);
      if (((next - home) & mask) >= ((next - free) & mask)) {
        keys[free] = keys[next];
        values[free] = values[next];
        free = next;
      }
      next = (next + 1) & mask;
    }
    keys[free] = EMPTY;
    values[free] = null;
    size--;
    if (size * 8 < keys.length && keys.length > KEEP_CAPACITY) {
      resize(keys.length / 2); // give the memory of a past burst back
    }
    return value;
  }

  int size() {
    return size;
  }

  /** Every value, in no particular order. */
  @SuppressWarnings("unchecked")
  List<V> values() {
    List<V> all = new ArrayList<>(size);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        all.add((V) values[i]);
      }
    }
    return all;
  }

  void clear() {
    keys = new long[MIN_CAPACITY];
    values = new Object[MIN_CAPACITY];
    size = 0;
  }

  private int find(long key) {
    if (key <= EMPTY) {
      return -1;
    }
    int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[capacity];
    values = new Object[capacity];
    int mask = capacity - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = slot(oldKeys[i], mask);
        while (keys[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }

  /** Sequential ids would cluster: spread them with a Fibonacci multiplier. */
  private static int slot(long key, int mask) {
    long mixed = key * 0x9E3779B97F4A7C15L;
    return (int) (mixed ^ (mixed >>> 32)) & mask;
  }

  @Override
  public String toString() {
    return "LongKeyMap(size " + size + ", capacity " + keys.length + ", keys " + Arrays.toString(
        Arrays.stream(keys).filter(k -> k != EMPTY).limit(10).toArray()) + ")";
  }
}
