package io.graphloop.graph;

import io.graphloop.state.State;
import io.vertx.core.Future;

/**
 * A node that does its I/O without blocking: it returns at once with a {@link Future} of its output.
 * It runs on the event loop of its node host, so it must never block (no {@code Thread.sleep},
 * no blocking JDBC or HTTP); declare blocking work with {@link StateGraph#addBlockingNode} instead.
 *
 * <p>The output is a partial update: a {@code Map} of the channels to change, {@code null} (or an empty
 * map) for no change, or a record/bean whose non-null properties are the channels to change.
 */
@FunctionalInterface
public interface AsyncNode {

  /**
   * Starts the node's work on {@code state}.
   *
   * @param state   the immutable snapshot of this superstep
   * @param context the execution's context
   * @return the future partial update; a thrown exception or a failed future fails the node
   */
  Future<?> apply(State state, NodeContext context) throws Exception;
}
