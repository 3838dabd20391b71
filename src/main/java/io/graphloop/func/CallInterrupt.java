package io.graphloop.func;

import io.graphloop.errors.GraphInterrupt;

/**
 * An {@code interrupt} of an entrypoint's body or of one task call, with the interrupt id of the scope that asked (the
 * call's id, or the entrypoint's task id): the entrypoint's node reports it under that id, so an answer given to that
 * id goes back to the same call (LangGraph gives each task call its own interrupt id).
 *
 * <p>Immutable.
 */
final class CallInterrupt extends GraphInterrupt {

  private final String id;

  CallInterrupt(String id, Object payload, String graph, String runId, Integer step, String node) {
    super(payload, graph, runId, step, node);
    this.id = id;
  }

  /** The interrupt id: the key a {@code Command.resume} map answers it under. */
  String id() {
    return id;
  }
}
