package io.graphloop.errors;

/**
 * Raised by {@code NodeContext.interrupt(payload)} to pause a run for a person's answer (LangGraph's
 * {@code interrupt}). Not an error: the run stops as {@code interrupted}, reporting the payload, and resumes when
 * its thread is run again with {@code Command.resume(value)}; the node then runs again from its start and this
 * time {@code interrupt} returns the value.
 */
public class GraphInterrupt extends GraphloopException {

  private final transient Object payload;

  public GraphInterrupt(Object payload, String graph, String runId, Integer step, String node) {
    super(FailureCode.INTERRUPTED, "Node '" + node + "' of graph '" + graph + "' interrupted run " + runId
        + " at step " + step + " and waits to be resumed with Command.resume(value)", graph, runId, step, node, null);
    this.payload = payload;
  }

  /** What the node asked (frozen JSON-compatible value). */
  public Object payload() {
    return payload;
  }
}
