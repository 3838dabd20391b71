package io.graphloop.state;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An unmodifiable list of frozen values (see {@link Values#freeze}); allows JSON {@code null} elements.
 *
 * <p>Immutable, so safe to share between threads.
 */
final class FrozenList extends AbstractList<Object> implements RandomAccess {

  static final FrozenList EMPTY = new FrozenList(new Object[0]);

  private final Object[] elements;

  /** Takes ownership of {@code elements}, which must already be frozen. */
  FrozenList(Object[] elements) {
    this.elements = elements;
  }

  @Override
  public Object get(int index) {
    return elements[index];
  }

  @Override
  public int size() {
    return elements.length;
  }
}
