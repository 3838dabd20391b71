package io.graphloop.errors;

import io.graphloop.graph.Command;

/**
 * Raised when a node of a subgraph returns a {@code Command} addressed to its parent graph
 * ({@link Command#PARENT}, LangGraph's {@code Command(graph=Command.PARENT)}). Not an error: the child run stops
 * there (its other writes of the step are dropped, as in LangGraph), and the subgraph node of the parent returns the
 * Command: its update goes through the parent's reducers and its goto routes the parent. A root graph has no parent:
 * there the run fails with this exception.
 *
 * <p>Immutable.
 */
public class ParentCommand extends GraphloopException {

  private final transient Command command;

  public ParentCommand(Command command, String graph, String runId, Integer step, String node) {
    super(FailureCode.PARENT_COMMAND, "Node '" + node + "' of graph '" + graph + "' returned a Command for its parent "
        + "graph (" + command + "), but graph '" + graph + "' runs as no subgraph of another (run " + runId + ", step "
        + step + "); return a plain Command to route this graph.", graph, runId, step, node, null);
    this.command = command;
  }

  /** The Command for the parent, without its {@code graph} target. */
  public Command command() {
    return command;
  }
}
