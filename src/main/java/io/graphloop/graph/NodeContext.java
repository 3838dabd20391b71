package io.graphloop.graph;

import io.vertx.core.Vertx;

/**
 * What a running node knows about its execution: where it runs (graph, run, step, attempt) and the
 * {@link Vertx} instance whose event loop (async nodes) or worker pool (blocking nodes) runs it.
 *
 * <p>A context belongs to one node execution. It is immutable and may be read from any thread.
 */
public interface NodeContext {

  /** The graph's name. */
  String graph();

  /** The run's id. */
  String runId();

  /** The superstep this execution belongs to (0 is the first step after the input). */
  int step();

  /** The node's name. */
  String node();

  /** The attempt, counting from 1. */
  int attempt();

  /** The Vert.x instance hosting the node; use it for timers, clients and {@code executeBlocking}. */
  Vertx vertx();
}
