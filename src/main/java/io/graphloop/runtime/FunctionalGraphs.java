package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.FunctionCalls;
import io.graphloop.internal.graph.Entrypoints;

/**
 * What sets a graph of the functional API (an {@code io.graphloop.func.Entrypoint} compiled to a graph) apart in a run.
 * LangGraph's entrypoint subscribes to the input channel itself: there is no {@code __start__} task, so the input
 * checkpoint (step -1 on a new thread) already has the entrypoint's task due, the entrypoint runs in step 0 and the
 * loop checkpoint after it is step 0. Graphloop gives such a graph the same steps by applying the input when the run
 * starts (START's step fused into the input checkpoint) instead of in a step of its own.
 *
 * <p>Stateless; thread-safe.
 */
final class FunctionalGraphs {

  private FunctionalGraphs() {
  }

  /**
   * Whether {@code graph} is an entrypoint's: its only node (besides START) is a {@link FunctionCalls.Caller}, so a
   * fresh run's input is applied before the first step and the entrypoint runs in the step after the input checkpoint.
   */
  static boolean fusesStart(CompiledGraph graph) {
    return entrypoint(graph) != null;
  }

  /** The name of {@code graph}'s entrypoint node when it is an entrypoint's graph ({@link #fusesStart}), else null. */
  static String entrypoint(CompiledGraph graph) {
    return Entrypoints.entrypoint(graph);
  }
}
