package io.graphloop.runtime;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes run ids: random (version 4) UUIDs, as LangGraph's, from a thread-local generator rather than
 * {@code UUID.randomUUID()}'s contended secure random (ids need to be unique, not secret).
 *
 * <p>Thread-safe.
 */
final class RunIds {

  private RunIds() {
  }

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
