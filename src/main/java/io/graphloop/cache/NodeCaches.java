package io.graphloop.cache;

import java.time.Clock;
import java.time.Duration;

/**
 * Rules the caches share. Stateless; thread-safe.
 */
public final class NodeCaches {

  private NodeCaches() {
  }

  /** When an entry stored now with {@code ttl} expires, in epoch ms; {@link Long#MAX_VALUE} for never. */
  public static long expiresAt(Clock clock, Duration ttl) {
    if (ttl == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Math.addExact(clock.millis(), ttl.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
