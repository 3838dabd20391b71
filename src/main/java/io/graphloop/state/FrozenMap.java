package io.graphloop.state;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable, insertion-ordered map whose values are themselves frozen (see {@link Values#freeze}).
 * Mutators throw {@link UnsupportedOperationException}. Unlike {@code Map.copyOf} it keeps order and
 * allows JSON {@code null} values.
 *
 * <p>Small maps (at most {@value #SMALL} entries, the usual node update and many states) keep their keys and values in
 * one array, looked up by a scan: a snapshot then costs two small objects instead of a hash map with its table, entry
 * objects and entry set. Every run in flight holds several snapshots, so this is most of a run's memory (a burst of
 * 100,000 runs spent its time copying them in young collections). Larger maps keep a {@code LinkedHashMap}.
 *
 * <p>Immutable, so safe to share between threads and to pass by reference on the event bus.
 */
final class FrozenMap extends AbstractMap<String, Object> {

  /** Up to this many entries are kept in an array. */
  static final int SMALL = 8;

  static final FrozenMap EMPTY = new FrozenMap(new LinkedHashMap<>());

  /** Keys at even, values at odd indexes; null when {@link #entries} holds them. */
  private final Object[] small;
  private final Map<String, Object> entries;
  private Set<Entry<String, Object>> entrySet; // made on first use; racy but idempotent

  /** Takes ownership of {@code entries}, whose values must already be frozen; nobody may keep a reference. */
  FrozenMap(LinkedHashMap<String, Object> entries) {
    if (entries.size() <= SMALL) {
      Object[] pairs = new Object[2 * entries.size()];
      int i = 0;
      for (Entry<String, Object> entry : entries.entrySet()) {
        pairs[i++] = entry.getKey();
        pairs[i++] = entry.getValue();
      }
      this.small = pairs;
      this.entries = null;
    } else {
      this.small = null;
      this.entries = entries;
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    Set<Entry<String, Object>> set = entrySet;
    if (set == null) {
      set = small == null ? Collections.unmodifiableMap(entries).entrySet() : new SmallEntries();
      entrySet = set;
    }
    return set;
  }

  @Override
  public Object get(Object key) {
    if (small == null) {
      return entries.get(key);
    }
    int at = indexOf(key);
    return at < 0 ? null : small[at + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return small == null ? entries.containsKey(key) : indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return small == null ? entries.size() : small.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  /** A modifiable copy, for building the next version. */
  LinkedHashMap<String, Object> copy() {
    if (small == null) {
      return new LinkedHashMap<>(entries);
    }
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, small.length));
    for (int i = 0; i < small.length; i += 2) {
      copy.put((String) small[i], small[i + 1]);
    }
    return copy;
  }

  private int indexOf(Object key) {
    for (int i = 0; i < small.length; i += 2) {
      if (small[i] == key) {
        return i;
      }
    }
    if (key != null) {
      for (int i = 0; i < small.length; i += 2) {
        if (key.equals(small[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The entries of a small map, in order; read-only. */
  private final class SmallEntries extends AbstractSet<Entry<String, Object>> {
    @Override
    public Iterator<Entry<String, Object>> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < small.length;
        }

        @Override
        public Entry<String, Object> next() {
          if (next >= small.length) {
            throw new NoSuchElementException();
          }
          Entry<String, Object> entry = new SimpleImmutableEntry<>((String) small[next], small[next + 1]);
          next += 2;
          return entry;
        }
      };
    }

    @Override
    public int size() {
      return small.length / 2;
    }
  }
}
