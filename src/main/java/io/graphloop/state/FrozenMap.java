package io.graphloop.state;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An unmodifiable, insertion-ordered map whose values are themselves frozen (see {@link Values#freeze}).
 * Mutators throw {@link UnsupportedOperationException}. Unlike {@code Map.copyOf} it keeps order and
 * allows JSON {@code null} values.
 *
 * <p>Immutable, so safe to share between threads and to pass by reference on the event bus.
 */
final class FrozenMap extends AbstractMap<String, Object> {

  static final FrozenMap EMPTY = new FrozenMap(new LinkedHashMap<>());

  private final Map<String, Object> entries;

  /** Takes ownership of {@code entries}, whose values must already be frozen; nobody may keep a reference. */
  FrozenMap(LinkedHashMap<String, Object> entries) {
    this.entries = entries;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return Collections.unmodifiableMap(entries).entrySet();
  }

  @Override
  public Object get(Object key) {
    return entries.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  @Override
  public int size() {
    return entries.size();
  }

  /** A modifiable copy, for building the next version. */
  LinkedHashMap<String, Object> copy() {
    return new LinkedHashMap<>(entries);
  }
}
