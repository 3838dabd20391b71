package io.graphloop.internal.engine;

import io.graphloop.state.State;

/**
 * One node execution due in a superstep. A pull task runs a node triggered by edges and receives the
 * step's state; a push task runs a node for one {@code Send} and receives that Send's input (LangGraph's
 * PULL and PUSH tasks). A node has at most one pull task per step and any number of push tasks.
 *
 * @param node      the node's name
 * @param nodeIndex the node's number in declaration order (the order writes are applied in)
 * @param step      the superstep
 * @param input     the snapshot the node receives: the step's state for a pull task (the same instance for
 *                  every pull task of the step), the Send's input for a push task
 * @param push      {@link #PULL} for a pull task; for a push task, its number among the node's push tasks of
 *                  the step, from 0, in the order the Sends were produced
 * @param timeout   for a push task whose Send carries a timeout policy: that policy, which replaces the node's;
 *                  else {@code null}
 */
public record Task(String node, int nodeIndex, int step, State input, int push,
                   io.graphloop.graph.TimeoutPolicy timeout) {

  /** The {@code push} of a pull task. */
  public static final int PULL = -1;

  /** A task without a timeout policy of its own. */
  public Task(String node, int nodeIndex, int step, State input, int push) {
    this(node, nodeIndex, step, input, push, null);
  }

  public Task {
    if (push < PULL) {
      throw new IllegalArgumentException("push must be " + PULL + " (a pull task) or at least 0, was " + push);
    }
  }

  /** A pull task. */
  public Task(String node, int nodeIndex, int step, State input) {
    this(node, nodeIndex, step, input, PULL);
  }

  /** Whether this task runs a node for a Send. */
  public boolean isPush() {
    return push != PULL;
  }

  /**
   * The id of the rule before LangGraph's (the runtime's task ids now derive from the checkpoint a task was planned
   * from; checkpoints saved before keep these): {@code runId:step:node} for a pull task, {@code runId:step:node:push<i>}
   * for push task {@code i} of the node.
   */
  public String id(String runId) {
    return push == PULL ? runId + ":" + step + ":" + node : runId + ":" + step + ":" + node + ":push" + push;
  }
}
