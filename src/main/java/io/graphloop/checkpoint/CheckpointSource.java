package io.graphloop.checkpoint;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Why a checkpoint was saved, as LangGraph's {@code metadata["source"]} ({@code Literal["input", "loop", "update",
 * "fork"]} in LangGraph 1.2.12's {@code CheckpointMetadata}); {@link io.graphloop.run.ThreadState#source()}. Stored
 * and sent as its wire name, the lower-case name ({@code "input"}, {@code "loop"}, {@code "update"}, {@code "fork"}),
 * which is also its {@code toString()} and its Jackson form.
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

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The wire (and stored) name, as LangGraph's: {@code input}, {@code loop}, {@code update}, {@code fork}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The stored name, e.g. {@code "loop"}: the {@link #wireName()}. */
  public String json() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
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
