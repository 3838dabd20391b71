package io.graphloop.internal.bus;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.errors.RemoteCause;
import io.graphloop.protocol.Failures;
import io.vertx.core.eventbus.ReplyException;

/**
 * The one mapping from what an event-bus request failed with to a {@link GraphloopException}, for both ends: a
 * client's request to a graph's coordinators ({@link #ofCoordinatorRequest}) and a coordinator's request to a node
 * ({@link #ofNodeRequest}), plus a run that ended with something else than a {@code GraphloopException}
 * ({@link #ofRun}). Each takes, in this order: the structured failure a reply carries ({@link Failures#carried}),
 * then Vert.x's own failures, said so that they tell what to do ({@code NO_HANDLERS}: nobody hosts the target;
 * {@code TIMEOUT}: no answer in time), then anything else.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReplyFailures {

  private ReplyFailures() {
  }

  /**
   * A request to graph {@code graph}'s coordinators (a run, a thread request) that failed.
   *
   * @param address       the address the request went to
   * @param timeoutMs     how long the caller waited
   * @param timeoutAdvice what to do about a timeout, appended to its message
   */
  public static GraphloopException ofCoordinatorRequest(Throwable cause, String graph, String address, long timeoutMs,
                                                        String timeoutAdvice) {
    GraphloopException carried = Failures.carried(cause);
    if (carried != null) {
      return carried;
    }
    if (cause instanceof ReplyException) {
      ReplyException reply = (ReplyException) cause;
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return new GraphloopException(FailureCode.UNKNOWN_TARGET, "No coordinator for graph '" + graph
              + "' (address " + address + "): deploy it with GraphRuntime.deploy, or on a cluster start a "
              + "coordinator member for it.", graph, null, null, null, null);
        case TIMEOUT:
          return new GraphloopException(FailureCode.TIMEOUT, "Graph '" + graph + "' did not answer within "
              + timeoutMs + " ms; " + timeoutAdvice, graph, null, null, null, null);
        default:
          return new GraphloopException(FailureCode.of(reply.failureCode()), reply.getMessage(), graph, null, null,
              null, null);
      }
    }
    return new GraphloopException(FailureCode.INTERNAL, "Request to graph '" + graph + "' failed: " + cause, graph,
        null, null, null, cause);
  }

  /**
   * One attempt of node {@code node} (run {@code runId}, step {@code step}) that failed: a timeout is a
   * {@link NodeTimeoutException}, no listener an {@link FailureCode#UNKNOWN_TARGET} failure, anything else a
   * {@link NodeFailedException} (which the node's retry policy may retry).
   *
   * @param address   the node's address the request went to
   * @param timeoutMs the attempt's timeout
   */
  public static GraphloopException ofNodeRequest(Throwable cause, String graph, String runId, int step, String node,
                                                 int attempt, int maxAttempts, String address, long timeoutMs) {
    GraphloopException carried = Failures.carried(cause);
    if (carried != null) {
      return carried;
    }
    if (cause instanceof ReplyException) {
      ReplyException reply = (ReplyException) cause;
      switch (reply.failureType()) {
        case TIMEOUT:
          return new NodeTimeoutException(graph, runId, step, node, attempt, maxAttempts, timeoutMs);
        case NO_HANDLERS:
          return new GraphloopException(FailureCode.UNKNOWN_TARGET, "No member hosts node '" + node
              + "' of graph '" + graph + "' (no verticle listens on " + address + "); deploy the graph with "
              + "GraphRuntime.deploy, or on a cluster start a member that hosts this node.", graph, runId, step, node,
              null);
        default:
          cause = new RemoteCause(ReplyException.class.getName(), "code " + reply.failureCode() + ": "
              + reply.getMessage());
      }
    }
    return new NodeFailedException(graph, runId, step, node, attempt, maxAttempts, cause);
  }

  /**
   * Whether {@code cause} is the requester's own deadline passing with no answer (Vert.x's {@code TIMEOUT}), not a
   * failure the target replied with (a node that keeps its own deadline replies a {@link NodeTimeoutException}).
   */
  public static boolean isUnansweredTimeout(Throwable cause) {
    return Failures.carried(cause) == null && cause instanceof ReplyException
        && ((ReplyException) cause).failureType() == io.vertx.core.eventbus.ReplyFailure.TIMEOUT;
  }

  /** What run {@code runId} ended with, as a {@code GraphloopException} ({@link FailureCode#INTERNAL} when it is not one). */
  public static GraphloopException ofRun(Throwable cause, String graph, String runId) {
    if (cause instanceof GraphloopException) {
      return (GraphloopException) cause;
    }
    return new GraphloopException(FailureCode.INTERNAL, "Run " + runId + " of graph '" + graph
        + "' failed unexpectedly: " + cause, graph, runId, null, null, cause);
  }
}
