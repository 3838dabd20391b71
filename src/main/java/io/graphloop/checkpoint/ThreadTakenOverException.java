package io.graphloop.checkpoint;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

/**
 * Fencing: a checkpoint was refused because its parent is no longer the thread's head (the thread's newest
 * checkpoint). Another coordinator has taken the thread over (this one was paused, or dropped by the cluster
 * while alive) and saved since; the run that tried to save stops, so one thread's history never interleaves two
 * runs. Code {@link FailureCode#THREAD_TAKEN_OVER}.
 *
 * <p>Immutable; safe to pass between threads.
 */
public final class ThreadTakenOverException extends GraphloopException {

  private final String threadId;
  private final String head;

  /**
   * @param store        the store's description
   * @param refused      the checkpoint whose put was refused
   * @param expectedHead the head the put expected ({@code null}: none)
   * @param head         the head found ({@code null}: none)
   */
  public ThreadTakenOverException(String store, CheckpointRecord refused, String expectedHead, String head) {
    super(FailureCode.THREAD_TAKEN_OVER, store + ": checkpoint " + refused.checkpointId() + " of thread '"
        + refused.threadId() + "' was refused: the head it expected, " + (expectedHead == null
        ? "(none: the thread's first checkpoint)" : expectedHead) + ", is no longer the thread's head, which is "
        + (head == null ? "(none: the thread has no checkpoints; it was deleted)" : head) + ". Another coordinator "
        + "took the thread over; this run stops (THREAD_TAKEN_OVER). Run the thread again to continue from its head.");
    this.threadId = refused.threadId();
    this.head = head;
  }

  /** The thread. */
  public String threadId() {
    return threadId;
  }

  /** The thread's head when the checkpoint was refused, or {@code null} when it had none. */
  public String head() {
    return head;
  }

  /**
   * The fencing rule of every store: a put is allowed when the thread's head ({@code head}, its newest checkpoint
   * id, {@code null} when it has none) is the one the put expects ({@code expectedHead}: usually the checkpoint's
   * parent; the head a run saw when it started from an earlier checkpoint), when it replaces the head itself (a
   * retried put), or when it is a fork ({@link CheckpointSource#FORK}: a new branch from an older checkpoint, by a
   * user's request rather than a run's step).
   */
  static boolean allows(CheckpointRecord checkpoint, String expectedHead, String head) {
    if (checkpoint.source() == CheckpointSource.FORK) {
      return true;
    }
    if (head == null) {
      return expectedHead == null;
    }
    return head.equals(expectedHead) || head.equals(checkpoint.checkpointId());
  }
}
