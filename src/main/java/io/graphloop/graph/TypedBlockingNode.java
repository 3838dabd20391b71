package io.graphloop.graph;

/**
 * A blocking node of a {@link TypedStateGraph}: it receives the state as its record on a worker thread and returns
 * a partial record whose non-null components are the update ({@code null} for none), as {@link BlockingNode}.
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface TypedBlockingNode<S> {

  /** Runs the node on a worker thread; a thrown exception fails the node. */
  S apply(S state, NodeContext context) throws Exception;
}
