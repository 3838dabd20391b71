package io.graphloop.checkpoint;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates checkpoint ids that sort by creation time: UUID version 7 strings (RFC 9562), i.e. 48 bits of
 * Unix milliseconds, a 12-bit counter, then 62 random bits, printed as the usual lower-case 36 characters. As
 * LangGraph's {@code uuid6} ids, comparing two ids as strings compares their creation times, so "newest first"
 * is a plain descending sort on the id and "before X" is {@code id < X}.
 *
 * <p>Within one generator ids are strictly increasing, even when the clock stands still or goes back (the
 * counter, then the millisecond, is carried forward). Ids made by different generators (other JVMs) in the same
 * millisecond are unique but not ordered among themselves.
 *
 * <p>Thread-safe: {@link #nextId()} is synchronized. Time comes from the injected {@link Clock}.
 */
public final class CheckpointIds {

  private static final CheckpointIds DEFAULT = new CheckpointIds(Clock.systemUTC());
  private static final int COUNTER_MAX = 0xFFF;

  private final Clock clock;
  private long lastMillis = Long.MIN_VALUE;
  private int counter;

  /** A generator reading time from {@code clock}. */
  public CheckpointIds(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The JVM-wide generator on the system clock. */
  public static CheckpointIds system() {
    return DEFAULT;
  }

  /** The next id of the JVM-wide generator. */
  public static String next() {
    return DEFAULT.nextId();
  }

  /** The next id: greater, as a string, than every id this generator returned before. */
  public synchronized String nextId() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      counter = ThreadLocalRandom.current().nextInt(COUNTER_MAX / 2 + 1); // leaves room to count up
    } else if (++counter > COUNTER_MAX) {
      lastMillis++;
      counter = 0;
    }
    long high = (lastMillis << 16) | 0x7000L | counter;
    long low = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }

  /**
   * The next id, also greater than {@code floor} (e.g. the parent checkpoint's id, made by another JVM whose
   * clock runs ahead): the generator moves its clock up to {@code floor}'s time first, as a Lamport clock. A
   * {@code floor} that is {@code null} or not a version 7 UUID is ignored.
   */
  public synchronized String nextIdAfter(String floor) {
    if (floor != null && floor.length() == 36) {
      try {
        long floorMillis = millisOf(floor);
        int floorCounter = (int) (UUID.fromString(floor).getMostSignificantBits() & COUNTER_MAX);
        if (floorMillis > lastMillis || (floorMillis == lastMillis && floorCounter > counter)) {
          lastMillis = floorMillis;
          counter = floorCounter;
        }
      } catch (IllegalArgumentException notOurs) {
        // another id scheme: nothing to order against
      }
    }
    return nextId();
  }

  /**
   * The smallest id of time {@code at}: every id made at or after {@code at} is greater (as a string) than it, every
   * id made before is smaller. Used to find threads whose newest checkpoint is older than a time.
   */
  public static String floorAt(java.time.Instant at) {
    return new UUID((at.toEpochMilli() << 16) | 0x7000L, 0x8000_0000_0000_0000L).toString();
  }

  /**
   * The milliseconds since the epoch encoded in {@code id}.
   *
   * @throws IllegalArgumentException when {@code id} is not a version 7 UUID string
   */
  public static long millisOf(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("'" + id + "' is not a checkpoint id (a version 7 UUID)", e);
    }
    if (uuid.version() != 7 || id.length() != 36) {
      throw new IllegalArgumentException("'" + id + "' is not a checkpoint id (a version 7 UUID)");
    }
    return uuid.getMostSignificantBits() >>> 16;
  }
}
