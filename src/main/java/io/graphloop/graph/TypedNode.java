package io.graphloop.graph;

import io.vertx.core.Future;

/**
 * An async node of a {@link TypedStateGraph}: it receives the state as its record and returns, without blocking,
 * a {@link Future} of a partial record whose non-null components are the update ({@code null} for none). It runs
 * on the event loop of its node's host, as {@link AsyncNode}.
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface TypedNode<S> {

  /** Starts the node's work on {@code state}; a thrown exception or a failed future fails the node. */
  Future<S> apply(S state, NodeContext context) throws Exception;
}
