package io.graphloop.graph;

/** Where a node's code runs. */
public enum NodeKind {
  /** On the event loop of its node host (see GraphRuntime), returning a future. */
  ASYNC,
  /** On a worker thread, in blocking style. */
  BLOCKING,
  /**
   * On a virtual thread (Java 21 or newer), in blocking style; waits on futures with {@code Future.await}.
   * Declaring one on an older JVM fails when the graph is compiled.
   */
  VIRTUAL_THREAD,
  /** A compiled graph run as a node (see {@link Subgraph}); runs as a run of its own graph. */
  SUBGRAPH
}
