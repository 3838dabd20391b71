package io.graphloop.client;

/**
 * Whether one side of a blocked caller's hand-over (the caller's spin before it parks, or the home loop's linger for
 * the caller's next run) should spin this time, from how its recent spins went ({@link HomeLoop}).
 *
 * <p><b>Rule.</b> A spin that finds what it waits for is a hit, one that ends empty a miss. Spinning goes on through
 * isolated misses (a thread preempted once, a GC pause, a JIT deoptimization): only {@value #MISSES_TO_BACK_OFF}
 * misses in a row turn it off, for the next {@link #skipWindow} waits (first {@value #FIRST_WINDOW}). After such a
 * back-off the next spin is a retry: a miss backs off again with the window doubled (up to {@value #MAX_WINDOW}), a
 * hit turns spinning fully on again (window back to {@value #FIRST_WINDOW}). Before (one miss = 64 waits without
 * spinning) every isolated miss cost the next 64 waits a wake-up through the OS scheduler (issue 17).
 *
 * <p><b>Worst case</b> (every spin misses: runs longer than the spin, or other processes holding the cores): the first
 * {@value #MISSES_TO_BACK_OFF} waits spin, then one after 64, 128, 256, ... skipped waits, and from then on one per
 * {@value #MAX_WINDOW} + 1 waits: 9 empty spins in the first 10,000 waits, then one per 4,097 (each at most the
 * configured spin, e.g. {@code graphloop.client.waitSpinMicros}).
 *
 * <p>Thread rules: {@link #shouldSpin} and {@link #spun} may be called from several threads (several callers of one
 * client); the fields are volatile and the races are benign (at worst a spin more or less, never a lost wake-up:
 * this rule only decides how long to spin, never whether to wait).
 */
final class SpinRule {

  /** Misses in a row that turn spinning off. */
  static final int MISSES_TO_BACK_OFF = 2;
  /** Waits without spinning after the first back-off. */
  static final int FIRST_WINDOW = 64;
  /** The longest back-off, in waits. */
  static final int MAX_WINDOW = 4096;

  private volatile int skip;
  private volatile int window = FIRST_WINDOW;
  private volatile int misses;

  /** Whether to spin for this wait; counts a skipped wait down. */
  boolean shouldSpin() {
    int left = skip;
    if (left > 0) {
      skip = left - 1;
      return false;
    }
    return true;
  }

  /** After a spin (only when {@link #shouldSpin} said yes): whether it found what it waited for. */
  void spun(boolean hit) {
    if (hit) {
      misses = 0;
      window = FIRST_WINDOW;
      return;
    }
    int inARow = misses + 1;
    misses = inARow;
    if (inARow >= MISSES_TO_BACK_OFF) {
      int length = window;
      skip = length;
      window = Math.min(MAX_WINDOW, length * 2);
    }
  }

  /** Waits left without spinning (for tests). */
  int skipping() {
    return skip;
  }

  /** The next back-off's length in waits (for tests). */
  int skipWindow() {
    return window;
  }
}
