package io.graphloop.state;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
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

  /** A map of the first {@code size} pairs of {@code pairs} (keys at even indexes, distinct; values frozen). */
  private FrozenMap(Object[] pairs) {
    this.small = pairs;
    this.entries = null;
  }

  /**
   * Builds the next version of a map without a hash map while it stays small: keys and values in one growing array,
   * a put scans it (as {@link #get} does); past {@value #SMALL} entries it moves to a {@code LinkedHashMap}. Same
   * order rule as a {@code LinkedHashMap}: a new key goes last, a replaced one keeps its place.
   *
   * <p>Not thread-safe: one thread builds, then shares only the built map.
   */
  static final class Builder {
    private Object[] pairs;
    private int size; // entries in pairs
    private LinkedHashMap<String, Object> large; // once past SMALL

    /** Starts from {@code from}'s entries. */
    Builder(FrozenMap from) {
      if (from.small != null) {
        pairs = Arrays.copyOf(from.small, Math.min(2 * SMALL, from.small.length + 4));
        size = from.small.length / 2;
      } else {
        large = new LinkedHashMap<>(from.entries);
      }
    }

    /** An empty builder for about {@code expected} entries. */
    Builder(int expected) {
      if (expected <= SMALL) {
        pairs = new Object[2 * Math.max(1, expected)];
      } else {
        large = new LinkedHashMap<>(Math.max(4, expected * 2));
      }
    }

    /** Sets {@code key} (not null) to {@code value}, which must be frozen. */
    void put(String key, Object value) {
      if (large != null) {
        large.put(key, value);
        return;
      }
      int end = 2 * size;
      for (int i = 0; i < end; i += 2) {
        if (pairs[i] == key || key.equals(pairs[i])) {
          pairs[i + 1] = value;
          return;
        }
      }
      if (size == SMALL) {
        large = new LinkedHashMap<>(4 * SMALL);
        for (int i = 0; i < end; i += 2) {
          large.put((String) pairs[i], pairs[i + 1]);
        }
        large.put(key, value);
        pairs = null;
        return;
      }
      if (end == pairs.length) {
        pairs = Arrays.copyOf(pairs, Math.min(2 * SMALL, Math.max(4, 2 * pairs.length)));
      }
      pairs[end] = key;
      pairs[end + 1] = value;
      size++;
    }

    /** The built map (EMPTY when nothing was put); the builder cannot be used afterwards. */
    FrozenMap build() {
      if (large != null) {
        return large.isEmpty() ? EMPTY : new FrozenMap(large);
      }
      if (size == 0) {
        return EMPTY;
      }
      return new FrozenMap(pairs.length == 2 * size ? pairs : Arrays.copyOf(pairs, 2 * size));
    }
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
