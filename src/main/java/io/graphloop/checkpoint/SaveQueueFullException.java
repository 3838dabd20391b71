package io.graphloop.checkpoint;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

/**
 * A save (a checkpoint or a task's pending writes) was refused because the store's group-commit queue already holds
 * its bound of saves waiting for a batch ({@code maxQueuedSaves} of {@link SqliteStoreOptions} or
 * {@link PostgresStoreOptions}): the database does not keep up with what the runs save. Nothing of the save was
 * written; the run that gave it stops with code {@link FailureCode#OVERLOADED} (HTTP 503), and may be resumed from
 * its last checkpoint later. Refusing keeps the store's memory bounded whatever the burst.
 *
 * <p>Immutable; safe to pass between threads.
 */
public final class SaveQueueFullException extends GraphloopException {

  private final String threadId;
  private final int maxQueuedSaves;

  /**
   * @param store          the store's description
   * @param operation      the refused save, e.g. "put of checkpoint x of thread 't'"
   * @param threadId       its thread
   * @param maxQueuedSaves the bound that was reached
   */
  public SaveQueueFullException(String store, String operation, String threadId, int maxQueuedSaves) {
    super(FailureCode.OVERLOADED, store + ": " + operation + " was refused: " + maxQueuedSaves
        + " saves already wait for a batch (maxQueuedSaves), the database does not keep up with the runs' saves. "
        + "Nothing was written; retry later, run fewer threads at once, or raise maxQueuedSaves in the store's options"
        + " (OVERLOADED).");
    this.threadId = threadId;
    this.maxQueuedSaves = maxQueuedSaves;
  }

  /** The thread whose save was refused. */
  public String threadId() {
    return threadId;
  }

  /** The bound that was reached. */
  public int maxQueuedSaves() {
    return maxQueuedSaves;
  }
}
