package io.graphloop.graph;

/**
 * A {@link Router} of a {@link TypedStateGraph}: it sees the state as its record and returns what a router returns
 * (a node name, names, {@link Send}s, or {@link StateGraph#END}). Runs on the coordinator's event loop: quick and
 * pure.
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface TypedRouter<S> {

  /** The next node(s) for {@code state}. */
  Object route(S state) throws Exception;
}
