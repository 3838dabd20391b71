package io.graphloop.checkpoint;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

/**
 * An operation of the PostgreSQL checkpoint store was refused because its connection pool's wait queue was full:
 * {@code maxWaitQueueSize} operations already waited for one of the pool's {@code poolSize} connections (many runs
 * started or resumed at once each read their thread through the pool). Nothing was done; the run that asked stops
 * with code {@link FailureCode#OVERLOADED} (HTTP 503) and may be retried. Raise {@code maxWaitQueueSize} of
 * {@link PostgresStoreOptions} for bigger bursts (the queue costs memory only), or {@code poolSize} for more
 * throughput.
 *
 * <p>Immutable; safe to pass between threads.
 */
public final class PoolBusyException extends GraphloopException {

  private final String threadId;
  private final int maxWaitQueueSize;

  /**
   * @param store            the store's description
   * @param operation        the refused operation, e.g. "read of the latest checkpoint of thread 't'"
   * @param threadId         its thread, or {@code null}
   * @param poolSize         the pool's connections
   * @param maxWaitQueueSize the bound that was reached
   * @param cause            the pool's refusal
   */
  public PoolBusyException(String store, String operation, String threadId, int poolSize, int maxWaitQueueSize,
                           Throwable cause) {
    super(FailureCode.OVERLOADED, message(store, operation, poolSize, maxWaitQueueSize), null, null, null, null,
        cause);
    this.threadId = threadId;
    this.maxWaitQueueSize = maxWaitQueueSize;
  }

  private static String message(String store, String operation, int poolSize, int maxWaitQueueSize) {
    return store + ": " + operation + " was refused: " + maxWaitQueueSize
        + " operations already wait for one of the pool's " + poolSize + " connections (the store option "
        + "maxWaitQueueSize, default " + PostgresStoreOptions.DEFAULT_MAX_WAIT_QUEUE_SIZE + "). Nothing was done; "
        + "retry later, start or resume fewer threads at once, or raise maxWaitQueueSize (more waiting operations) "
        + "or poolSize (more connections) in the PostgreSQL store's options (OVERLOADED).";
  }

  /** The thread of the refused operation, or {@code null}. */
  public String threadId() {
    return threadId;
  }

  /** The bound that was reached. */
  public int maxWaitQueueSize() {
    return maxWaitQueueSize;
  }
}
