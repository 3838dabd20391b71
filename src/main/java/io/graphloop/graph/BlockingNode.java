package io.graphloop.graph;

import io.graphloop.state.State;

/**
 * A node written in plain blocking style (JDBC, a blocking SDK, CPU-heavy work). It always runs on a
 * worker thread, never on an event loop, and executions are not ordered behind each other: several
 * runs execute it in parallel up to the worker pool's size.
 *
 * <p>The output is a partial update, as for {@link AsyncNode}.
 */
@FunctionalInterface
public interface BlockingNode {

  /**
   * Runs the node on a worker thread.
   *
   * @param state   the immutable snapshot of this superstep
   * @param context the execution's context
   * @return the partial update; a thrown exception fails the node
   */
  Object apply(State state, NodeContext context) throws Exception;
}
