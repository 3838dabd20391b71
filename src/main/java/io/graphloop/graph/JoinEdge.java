package io.graphloop.graph;

import java.util.List;

/**
 * A waiting join {@code [a, b] -> c}: {@code target} runs once, in the step after the last of
 * {@code sources} has finished (each source counted once since the target last ran).
 *
 * @param sources the nodes to wait for, in declaration order
 * @param target  the node to run
 */
public record JoinEdge(List<String> sources, String target) {

  public JoinEdge {
    sources = List.copyOf(sources);
  }
}
