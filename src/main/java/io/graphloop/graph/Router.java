package io.graphloop.graph;

import io.graphloop.state.State;

/**
 * Chooses where a conditional edge goes. It sees the state of the step with the source node's own
 * writes applied (LangGraph's "fresh" read) and returns a node name, a collection of node names
 * (they run in parallel in the next step), or {@link StateGraph#END}. With a path map, the returned
 * values are keys of the map. It may also return {@link Send}s, alone or mixed with names in a
 * collection: each Send runs its node in the next step with the Send's input (map-reduce); Sends bypass
 * the path map, but list their nodes in it so the validator sees them as reachable.
 *
 * <p>Routers run on the coordinator's event loop: they must be quick, pure functions of the state.
 */
@FunctionalInterface
public interface Router {

  /** The next node(s) and Sends for {@code state}; a thrown exception fails the run at the source node. */
  Object route(State state) throws Exception;
}
