package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Failures;
import io.vertx.core.eventbus.ReplyException;

/**
 * Turns what a request to a graph's coordinators failed with into a {@link GraphloopException}: the structured
 * failure a reply carries, or, for Vert.x's own failures, one that says what to do (no coordinator listens; no
 * answer in time).
 *
 * <p>Stateless.
 */
final class ReplyFailures {

  private ReplyFailures() {
  }

  /**
   * @param address      the address the request went to
   * @param timeoutMs    how long the caller waited
   * @param timeoutAdvice what to do about a timeout, appended to its message
   */
  static GraphloopException of(Throwable cause, String graph, String address, long timeoutMs, String timeoutAdvice) {
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
}
