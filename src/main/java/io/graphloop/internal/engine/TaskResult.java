package io.graphloop.internal.engine;

import io.graphloop.graph.Send;

import java.util.List;
import java.util.Map;

/**
 * The successful outcome of a {@link Task}: its partial update and, when the node returned a
 * {@code Command}, where it goes next (added to the node's edges by {@link Superstep#advance}).
 *
 * <p>Immutable.
 *
 * @param task   the task
 * @param update the channels it writes, values already frozen (see {@code Values.freezeUpdate})
 * @param goTo   the nodes (or END) the node's Command goes to, in the order given; checked when planning
 * @param sends  the Sends of the node's Command, inputs frozen, in the order given
 */
public record TaskResult(Task task, Map<String, Object> update, List<String> goTo, List<Send> sends) {

  public TaskResult {
    goTo = goTo == null ? List.of() : List.copyOf(goTo);
    sends = sends == null ? List.of() : List.copyOf(sends);
  }

  /** A plain update, with no routing. */
  public TaskResult(Task task, Map<String, Object> update) {
    this(task, update, List.of(), List.of());
  }

  /** The result of {@code task} that {@code output} reports. */
  public static TaskResult of(Task task, NodeOutput output) {
    return new TaskResult(task, output.update(), output.goTo(), output.sends());
  }
}
