package io.graphloop.run;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * When a run's checkpoints are written (LangGraph's {@code durability}); on the wire by its lower-case name
 * ({@code "sync"}, {@code "async"}, {@code "exit"}), as LangGraph spells it.
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
 * <p>The default ({@link RunOptions#DEFAULT_DURABILITY}) is {@link #ASYNC}, chosen by measurement: the benchmark's
 * checkpointed chain (README, "Threads and checkpoints"; BENCHMARKS.md).
 *
 * <p>Immutable and thread-safe.
 */
public enum Durability {
  SYNC("sync"), ASYNC("async"), EXIT("exit");

  private final String wireName;

  Durability(String wireName) {
    this.wireName = wireName;
  }

  /** The mode's wire name, LangGraph's spelling ({@code sync}, {@code async}, {@code exit}). */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * The mode of wire name {@code name}.
   *
   * @throws IllegalArgumentException naming the value and listing the accepted names
   */
  public static Durability of(String name) {
    return WireNames.of(Durability.class, values(), Durability::wireName, name, "durability");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
