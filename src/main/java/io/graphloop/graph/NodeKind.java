package io.graphloop.graph;

/** Where a node's code runs. */
public enum NodeKind {
  /** On the event loop of its node verticle, returning a future. */
  ASYNC,
  /** On a worker thread, in blocking style. */
  BLOCKING
}
