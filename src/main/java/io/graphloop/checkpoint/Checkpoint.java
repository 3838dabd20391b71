package io.graphloop.checkpoint;

import io.graphloop.state.State;

import java.util.List;
import java.util.Objects;

/**
 * A checkpoint with its values: the stored record, the state it stands for, and the pending writes of the step
 * that started from it (LangGraph's {@code CheckpointTuple}). {@link Checkpointer#save} returns one (with no
 * pending writes) and {@link Checkpointer#load} reconstructs one; either is the {@code parent} of the next save,
 * which compares states in memory to find the changed channels.
 *
 * <p>Immutable and thread-safe.
 *
 * @param record        the stored record
 * @param state         the state, frozen, channels in the order they were saved
 * @param pendingWrites the writes of tasks that completed in the step that started here, by task id then index
 */
public record Checkpoint(CheckpointRecord record, State state, List<WriteRecord> pendingWrites) {

  public Checkpoint {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(state, "state");
    pendingWrites = pendingWrites == null ? List.of() : List.copyOf(pendingWrites);
  }

  /** The thread. */
  public String threadId() {
    return record.threadId();
  }

  /** The checkpoint's id. */
  public String checkpointId() {
    return record.checkpointId();
  }

  /** The superstep it was saved after (-1 for the input). */
  public int step() {
    return record.step();
  }
}
