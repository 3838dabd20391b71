package io.graphloop.internal.engine;

import io.graphloop.graph.Send;

import java.util.List;
import java.util.Map;

/**
 * What a node's output means once read (see {@link NodeOutputs#toOutput}): the frozen partial update,
 * the goto targets of a {@code Command} (node names, or END; checked against the graph when the step is
 * planned) and its {@link Send}s, whose inputs are frozen.
 *
 * <p>Immutable.
 *
 * @param update the channels the node writes, values frozen
 * @param goTo   the nodes (or END) to run in the next step, in addition to the node's edges
 * @param sends  the push tasks to run in the next step, in the order the node produced them
 */
public record NodeOutput(Map<String, Object> update, List<String> goTo, List<Send> sends) {

  public NodeOutput {
    goTo = goTo == null ? List.of() : List.copyOf(goTo);
    sends = sends == null ? List.of() : List.copyOf(sends);
  }

  /** A plain update, with no routing. */
  public NodeOutput(Map<String, Object> update) {
    this(update, List.of(), List.of());
  }
}
