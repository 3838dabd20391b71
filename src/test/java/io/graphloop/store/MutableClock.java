package io.graphloop.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Consumer;

/** A clock the test moves by hand (for TTLs and update times). Thread-safe (volatile instant). */
final class MutableClock extends Clock {

  /** Where every clock of these tests starts. */
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private volatile Instant now = START;
  private volatile Consumer<Duration> listener = by -> { };

  void advance(Duration by) {
    now = now.plus(by);
    listener.accept(by);
  }

  /** Tells {@code listener} of every later {@link #advance} (a clock in another JVM follows this one). */
  void onAdvance(Consumer<Duration> listener) {
    this.listener = listener;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
