package io.graphloop.internal.tracing;

import io.vertx.core.MultiMap;

/**
 * Where the runtime opens its trace spans: one per run on its coordinator, one per node execution wherever the node
 * runs, one per checkpoint save. {@link #NONE} (the default, when no tracing is installed on the Vert.x instance,
 * see {@link RunTracers}) does nothing and allocates nothing, so an untraced runtime pays one interface call per run
 * and per execution. The OpenTelemetry implementation is {@code io.graphloop.ops.GraphloopTracing}; this interface
 * names no OpenTelemetry type, so the runtime loads none unless tracing is installed.
 *
 * <p>Thread rules: implementations are thread-safe; the traces they return are used by one run's (or one
 * execution's) callbacks, which may run on an event loop and a worker thread in turn, never at once.
 */
public interface RunTracer {

  /** No tracing. */
  RunTracer NONE = new RunTracer() {
    @Override
    public RunTrace startRun(String graph, String runId, String threadId, String traceParent) {
      return RunTrace.NONE;
    }

    @Override
    public NodeTrace startNode(MultiMap headers, String graph, String node, String runId, int step, int attempt) {
      return NodeTrace.NONE;
    }
  };

  /**
   * Opens the span of a run (its parent: the W3C {@code traceParent} when not null, e.g. the subgraph node's span of
   * a child run, else the context current on the calling thread, e.g. the HTTP request's span), or answers
   * {@link RunTrace#NONE} when the run is not sampled.
   */
  RunTrace startRun(String graph, String runId, String threadId, String traceParent);

  /**
   * Opens the span of one node execution under the run span whose context {@code headers} carry (see
   * {@link RunTrace#nodeHeaders}); {@link NodeTrace#NONE} when they carry none (an untraced or unsampled run).
   */
  NodeTrace startNode(MultiMap headers, String graph, String node, String runId, int step, int attempt);
}
