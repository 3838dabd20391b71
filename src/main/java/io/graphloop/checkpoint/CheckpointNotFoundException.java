package io.graphloop.checkpoint;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

/**
 * A checkpoint asked for by id is not in the store: "Checkpoint x of thread 't' does not exist". The thread
 * and the id are fields.
 *
 * <p>Immutable after construction; safe to pass between threads.
 */
public final class CheckpointNotFoundException extends GraphloopException {

  private final String threadId;
  private final String checkpointId;

  public CheckpointNotFoundException(String threadId, String checkpointId) {
    super(FailureCode.UNKNOWN_TARGET, "Checkpoint " + checkpointId + " of thread '" + threadId + "' does not exist",
        null, null, null, null, null);
    this.threadId = threadId;
    this.checkpointId = checkpointId;
  }

  /** The thread that was searched. */
  public String threadId() {
    return threadId;
  }

  /** The id that was not found. */
  public String checkpointId() {
    return checkpointId;
  }
}
