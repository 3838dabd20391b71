package io.graphloop.runtime;

import io.graphloop.graph.NodeContext;
import io.graphloop.protocol.NodeRequest;
import io.vertx.core.Vertx;

/**
 * The {@link NodeContext} of one node execution.
 *
 * <p>Immutable; may be read from any thread.
 */
final class ExecutionContext implements NodeContext {

  private final Vertx vertx;
  private final NodeRequest request;

  ExecutionContext(Vertx vertx, NodeRequest request) {
    this.vertx = vertx;
    this.request = request;
  }

  @Override
  public String graph() {
    return request.graph();
  }

  @Override
  public String runId() {
    return request.runId();
  }

  @Override
  public int step() {
    return request.step();
  }

  @Override
  public String node() {
    return request.node();
  }

  @Override
  public int attempt() {
    return request.attempt();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }
}
