package io.graphloop.errors;

/**
 * The stable table of failure codes that Graphloop puts on the event bus ({@code ReplyException#failureCode()})
 * and in JSON failure bodies. Codes never change meaning once published; new kinds get new codes.
 *
 * <p>Immutable and thread-safe.
 */
public enum FailureCode {
  /** Not an error: the run stopped at an interrupt and waits to be resumed (see {@code GraphInterrupt}). */
  INTERRUPTED(202),
  /** Not an error: a node of a subgraph sent a Command to its parent graph (see {@code ParentCommand}). */
  PARENT_COMMAND(203),
  /** The request was malformed: not JSON, wrong types, missing fields, too large. */
  BAD_REQUEST(400),
  /** No handler for the graph or node addressed: not deployed, or hosted by no cluster member. */
  UNKNOWN_TARGET(404),
  /** The run was cancelled before it finished. */
  CANCELLED(409),
  /** The thread already has a run in flight and the run's strategy is to reject, not to queue. */
  THREAD_BUSY(423),
  /**
   * A checkpoint was refused because its parent is no longer the thread's head: another coordinator took the
   * thread over (fencing); the run that tried it stops.
   */
  THREAD_TAKEN_OVER(412),
  /** A node's update broke a channel's rule (e.g. two writes to a last-value channel in one step). */
  INVALID_UPDATE(422),
  /** The run reached its recursion limit (supersteps) without reaching END. */
  RECURSION_LIMIT(429),
  /** A node (or a router) threw or returned a failed future. */
  NODE_FAILED(500),
  /** The graph itself is invalid (reported at compile time). */
  INVALID_GRAPH(501),
  /** A limit was reached: too many runs in flight, a full queue; retry later. */
  OVERLOADED(503),
  /**
   * The coordinator is draining: its member is shutting down and admits no new run (HTTP 503); send the run to
   * another member or retry later. Runs admitted before are not affected.
   */
  DRAINING(530),
  /** A node or run did not answer within its time limit. */
  TIMEOUT(504),
  /** An unexpected failure inside Graphloop itself; a bug worth reporting. */
  INTERNAL(599);

  private final int code;

  FailureCode(int code) {
    this.code = code;
  }

  /** The number used as {@code ReplyException#failureCode()} and in JSON bodies. */
  public int code() {
    return code;
  }

  /** The code for a number; {@link #INTERNAL} for a number that is not in the table. */
  public static FailureCode of(int code) {
    for (FailureCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
