package io.graphloop.runtime;

import io.graphloop.internal.bus.SecureIds;

/**
 * Makes run ids: random (version 4) UUIDs, as LangGraph's, from {@link SecureIds}: 122 unguessable bits, so a
 * member of the bus cannot guess another caller's run id from its own (ids were counters, then plain random numbers
 * whose generator state a few ids gave away).
 *
 * <p>Thread-safe.
 */
final class RunIds {

  private RunIds() {
  }

  static String next() {
    return SecureIds.uuid();
  }
}
