package io.graphloop.graph;

import io.vertx.core.Future;

/**
 * An async node of a {@link TypedStateGraph} that returns an {@link Update}: for updates a partial record cannot
 * say (a component set to null) and for routing ({@link Update#goTo}, LangGraph's {@code Command(goto=...)}).
 * Runs on the event loop of its node's host and must not block.
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface TypedUpdateNode<S> {

  /** Starts the node's work on {@code state}; a null update is no change. */
  Future<Update<S>> apply(S state, NodeContext context) throws Exception;
}
