package io.graphloop.checkpoint;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

/**
 * A checkpoint store could not do what it was asked: the database failed, or what it holds is incomplete. The
 * message names the store, the operation and the thread, e.g. "SQLite checkpoint store /data/checkpoints.db:
 * put of checkpoint x of thread 't' failed: ...".
 *
 * <p>Immutable after construction; safe to pass between threads.
 */
public final class CheckpointStoreException extends GraphloopException {

  private final String threadId;

  public CheckpointStoreException(String message, String threadId, Throwable cause) {
    super(FailureCode.INTERNAL, message, null, null, null, null, cause);
    this.threadId = threadId;
  }

  /** The thread concerned, or {@code null}. */
  public String threadId() {
    return threadId;
  }
}
