package io.graphloop.engine;

import io.graphloop.state.State;

/**
 * One node execution due in a superstep.
 *
 * @param node      the node's name
 * @param nodeIndex the node's number in declaration order (the order writes are applied in)
 * @param step      the superstep
 * @param input     the snapshot the node receives (the same instance for every task of the step)
 */
public record Task(String node, int nodeIndex, int step, State input) {

  /** A deterministic id, the same on a replay: derived from the run, the step and the node. */
  public String id(String runId) {
    return runId + ":" + step + ":" + node;
  }
}
