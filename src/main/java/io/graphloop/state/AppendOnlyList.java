package io.graphloop.state;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list that appends in amortized O(1) by sharing one growing buffer between versions:
 * a version is a prefix (buffer, size) of the buffer. Appending to the newest version claims the slots
 * after it in place; appending to an older version (a fork, e.g. time travel) copies. So a long
 * message history grows linearly, not quadratically, across supersteps, and every snapshot stays
 * unchanged forever.
 *
 * <p>Thread-safe: the claim of buffer slots is a compare-and-set on the shared buffer, and elements
 * are published before the new version is returned.
 */
final class AppendOnlyList extends AbstractList<Object> implements RandomAccess {

  /** The empty list; it never lends its buffer, so unrelated histories never share one. */
  static final AppendOnlyList EMPTY = new AppendOnlyList(new Buffer(new Object[0]), 0);

  /** The storage shared by the versions of one history; {@code used} is how far any version reaches. */
  private static final class Buffer {
    final Object[] slots;
    int used;

    Buffer(Object[] slots) {
      this.slots = slots;
    }

    synchronized boolean claim(int from, int count) {
      if (used != from || from + count > slots.length) {
        return false;
      }
      used = from + count;
      return true;
    }
  }

  private final Buffer buffer;
  private final int size;

  private AppendOnlyList(Buffer buffer, int size) {
    this.buffer = buffer;
    this.size = size;
  }

  /** Returns this list followed by {@code items} (already frozen); this list is unchanged. */
  AppendOnlyList appendAll(List<?> items) {
    int count = items.size();
    if (count == 0) {
      return this;
    }
    if (size > 0 && buffer.claim(size, count)) {
      for (int i = 0; i < count; i++) {
        buffer.slots[size + i] = items.get(i);
      }
      return new AppendOnlyList(buffer, size + count);
    }
    Object[] grown = new Object[Math.max(8, (size + count) * 2)];
    System.arraycopy(buffer.slots, 0, grown, 0, size);
    for (int i = 0; i < count; i++) {
      grown[size + i] = items.get(i);
    }
    Buffer fresh = new Buffer(grown);
    fresh.used = size + count;
    return new AppendOnlyList(fresh, size + count);
  }

  /** An append-only list holding {@code items} (already frozen). */
  static AppendOnlyList of(List<?> items) {
    return EMPTY.appendAll(items);
  }

  @Override
  public Object get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
    }
    return buffer.slots[index];
  }

  @Override
  public int size() {
    return size;
  }
}
