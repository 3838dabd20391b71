package io.graphloop.runtime;

import java.util.Locale;

/**
 * When a run's checkpoints are written (LangGraph's {@code durability}).
 *
 * <ul>
 *   <li>{@link #SYNC}: a step's checkpoint is stored before the next step starts (nothing completed is lost in a
 *       crash; the store's latency is on the run's critical path).</li>
 *   <li>{@link #ASYNC}: stored in the background while the next step runs, in order, with a bounded number of
 *       saves outstanding (the run waits past the bound), and flushed before the run ends.</li>
 *   <li>{@link #EXIT}: only when the run ends (completes, fails or is interrupted): fastest, but a crash loses the
 *       run's progress.</li>
 * </ul>
 *
 * <p>The default ({@code RunOptions.DEFAULT_DURABILITY}) is {@link #ASYNC}, chosen by measurement: the benchmark's
 * checkpointed chain (README, "Threads and checkpoints"; BENCHMARKS.md).
 *
 * <p>Immutable and thread-safe.
 */
public enum Durability {
  SYNC, ASYNC, EXIT;

  /** The mode's wire name, lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException listing the valid names
   */
  public static Durability of(String name) {
    for (Durability mode : values()) {
      if (mode.wireName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("Unknown durability '" + name + "'; durability is one of sync, async, exit.");
  }
}
