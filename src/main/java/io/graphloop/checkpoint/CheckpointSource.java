package io.graphloop.checkpoint;

import java.util.Locale;

/**
 * Why a checkpoint was saved, as LangGraph's {@code metadata["source"]}. Stored and sent as the lower-case
 * name ({@code "input"}, {@code "loop"}, {@code "update"}, {@code "fork"}).
 *
 * <p>Immutable and thread-safe.
 */
public enum CheckpointSource {
  /** The run's input was applied (step -1). */
  INPUT,
  /** A superstep completed inside the run loop. */
  LOOP,
  /** The state was changed from outside a run ({@code update_state}). */
  UPDATE,
  /** A copy of an earlier checkpoint, the start of a new lineage (time travel). */
  FORK;

  /** The stored name, e.g. {@code "loop"}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The source named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the valid sources
   */
  public static CheckpointSource of(String name) {
    if (name != null) {
      for (CheckpointSource source : values()) {
        if (source.json().equalsIgnoreCase(name)) {
          return source;
        }
      }
    }
    throw new IllegalArgumentException("Unknown checkpoint source '" + name
        + "'; it must be one of input, loop, update, fork.");
  }
}
